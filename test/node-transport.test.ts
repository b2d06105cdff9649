/**
 * createNodeFetch: fetch's contract over node:http with keep-alive, against real servers on 127.0.0.1 (a scripted
 * node:http server, and the emulator through the client).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Agent as HttpsAgent, createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/emulator/index.ts";
import {
  AdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient,
  type FetchLike,
  NetworkError,
  paginateAdminListUserAuthEvents,
  TimeoutError,
} from "../src/index.ts";
import { createNodeFetch } from "../src/node/transport.ts";
import {
  AdminListUserAuthEventsCommand as SdkAdminListUserAuthEventsCommand,
  CognitoIdentityProviderClient as SdkClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { makeCertificates, opensslAvailable } from "./fixtures/cli/tls.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let base: string;
const routes = new Map<string, Handler>();
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const handler = routes.get(new URL(req.url ?? "/", "http://x").pathname);
      if (!handler) {
        res.writeHead(404).end("no route");
        return;
      }
      handler(req, res, Buffer.concat(chunks).toString("utf8"));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Registers a handler; returns its path (the server's address is known only once it listens). */
const route = (path: string, handler: Handler): string => {
  routes.set(path, handler);
  return path;
};
const at = (path: string): string => `${base}${path}`;
const ECHO = route("/echo", (req, res, body) => {
  res.writeHead(200, "Fine", { "content-type": "application/json", "x-port": String(req.socket.remotePort) });
  res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
});
const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};
/** V8's full collection, exposed for the tests that check what a collected response lets go. */
const gc = (): void => {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
};
const rejection = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.fail("expected a rejection"),
    (e: unknown) => e,
  );

describe("createNodeFetch: responses", () => {
  it("reaches an IPv6 host, its address written in brackets in the URL", async (context) => {
    const v6 = createServer((_req, res) => res.writeHead(200).end("over IPv6"));
    const listening = await new Promise<boolean>((resolve) => {
      v6.once("error", () => resolve(false));
      v6.listen(0, "::1", () => resolve(true));
    });
    if (!listening) context.skip();
    try {
      const nodeFetch = createNodeFetch();
      const url = `http://[::1]:${(v6.address() as AddressInfo).port}/`;
      for (const send of [nodeFetch, nodeFetch.exchange]) expect(await (await send(url)).text()).toBe("over IPv6");
      nodeFetch.close();
    } finally {
      await new Promise<void>((resolve) => v6.close(() => resolve()));
    }
  });

  it("resolves with a standard Response: status, statusText, headers, url and body", async () => {
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(ECHO));
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe("Fine");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.url).toBe(at(ECHO));
    expect(response.redirected).toBe(false);
    expect(await response.json()).toMatchObject({ method: "GET", body: "" });
    nodeFetch.close();
  });

  it("sends the method, the headers as given and a string body with its content-length", async () => {
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(ECHO), {
      method: "post",
      headers: { "X-Amz-Target": "Svc.Op", "content-type": "application/x-amz-json-1.1" },
      body: '{"a":"é"}',
    });
    const seen = (await response.json()) as { method: string; headers: Record<string, string>; body: string };
    expect(seen.method).toBe("POST");
    expect(seen.headers["x-amz-target"]).toBe("Svc.Op");
    expect(seen.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(seen.headers["content-length"]).toBe("10");
    expect(seen.body).toBe('{"a":"é"}');
    nodeFetch.close();
  });

  it("accepts a Headers object, header pairs, bytes and URLSearchParams bodies", async () => {
    const nodeFetch = createNodeFetch();
    const a = (await (
      await nodeFetch(at(ECHO), {
        method: "PUT",
        headers: new Headers({ "x-one": "1" }),
        body: new TextEncoder().encode("bytes"),
      })
    ).json()) as { headers: Record<string, string>; body: string };
    expect(a.headers["x-one"]).toBe("1");
    expect(a.body).toBe("bytes");
    const b = (await (
      await nodeFetch(at(ECHO), { method: "POST", headers: [["x-two", "2"]], body: new URLSearchParams({ q: "a b" }) })
    ).json()) as { headers: Record<string, string>; body: string };
    expect(b.headers["x-two"]).toBe("2");
    expect(b.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
    expect(b.body).toBe("q=a+b");
    nodeFetch.close();
  });

  it("takes a Request as input, with its method, headers and body", async () => {
    const nodeFetch = createNodeFetch();
    const request = new Request(at(ECHO), { method: "POST", headers: { "x-req": "yes" }, body: "from a Request" });
    const seen = (await (await nodeFetch(request)).json()) as {
      method: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(seen).toMatchObject({ method: "POST", body: "from a Request" });
    expect(seen.headers["x-req"]).toBe("yes");
    nodeFetch.close();
  });

  it("reuses one keep-alive connection for sequential requests", async () => {
    const nodeFetch = createNodeFetch();
    const ports = new Set<string | null>();
    for (let i = 0; i < 3; i++) {
      const response = await nodeFetch(at(ECHO));
      await response.text();
      ports.add(response.headers.get("x-port"));
    }
    expect(ports.size).toBe(1);
    nodeFetch.close();
  });

  it("close() drops idle connections, and later requests open a new one", async () => {
    const nodeFetch = createNodeFetch();
    const first = await nodeFetch(at(ECHO));
    await first.text();
    nodeFetch.close();
    const second = await nodeFetch(at(ECHO));
    await second.text();
    expect(second.headers.get("x-port")).not.toBe(first.headers.get("x-port"));
    nodeFetch.close();
  });

  it("resolves once the headers arrive and streams the body", async () => {
    let finish: () => void = () => {};
    const path = route("/stream", (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first ");
      finish = () => res.end("last");
    });
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(path));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first ");
    finish();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe("last");
    nodeFetch.close();
  });

  it("gives HEAD requests and 204 responses a null body", async () => {
    const empty = route("/empty", (_req, res) => res.writeHead(204).end());
    const nodeFetch = createNodeFetch();
    const head = await nodeFetch(at(ECHO), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const none = await nodeFetch(at(empty));
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
    expect(await none.text()).toBe("");
    nodeFetch.close();
  });

  it("passes error statuses through as responses, not rejections", async () => {
    const path = route("/teapot", (_req, res) =>
      res.writeHead(400, { "x-amzn-errortype": "UserNotFoundException:" }).end('{"message":"User does not exist."}'),
    );
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(path));
    expect(response.ok).toBe(false);
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("UserNotFoundException:");
    expect(await response.json()).toEqual({ message: "User does not exist." });
    nodeFetch.close();
  });

  it("decodes a gzip body", async () => {
    const path = route("/gzip", (_req, res) =>
      res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync("squeezed text")),
    );
    const nodeFetch = createNodeFetch();
    expect(await (await nodeFetch(at(path))).text()).toBe("squeezed text");
    nodeFetch.close();
  });
});

describe("createNodeFetch: the Response's body members behave as the global fetch's", () => {
  // The Response reads its body whole without a web stream unless one is asked for; every member, in any order, must
  // answer as undici's does. Each scenario runs on a response of both fetches and records what it sees.
  const SMALL = route("/members", (_req, res) => {
    res.sendDate = false;
    res.writeHead(200, { "content-type": "text/plain;charset=utf-8", "x-multi": "a" });
    res.end("caf\u00e9 \ud83d\ude00");
  });
  const FORM = route("/members-form", (_req, res) => {
    res.sendDate = false;
    res.writeHead(200, { "content-type": "application/x-www-form-urlencoded" }).end("a=1&b=two+words");
  });
  const NONE = route("/members-204", (_req, res) => {
    res.sendDate = false;
    res.writeHead(204).end();
  });
  const MOVED = route("/members-moved", (_req, res) => res.writeHead(302, { location: SMALL }).end());
  const LARGE_BODY = "0123456789abcdef".repeat(20_000); // 320 KB: more than the 64 KiB held before the socket waits
  const LARGE = route("/members-large", (_req, res) => res.writeHead(200).end(LARGE_BODY));
  const settle = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      (value) => ({ value }),
      (error: Error) => ({ error: `${error.name}: ${error.message}` }),
    );
  const call = (f: () => unknown): Promise<unknown> => settle(Promise.resolve().then(f));
  const decode = (bytes: ArrayBuffer | Uint8Array): string => new TextDecoder().decode(bytes);
  const readStream = async (stream: ReadableStream<Uint8Array> | null): Promise<string> => {
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of stream ?? []) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  };
  const scenarios: Record<string, [path: string, init: RequestInit, see: (r: Response) => Promise<unknown[]>]> = {
    "members before reading": [
      SMALL,
      {},
      async (r) => [
        [r.status, r.statusText, r.ok, r.type, r.redirected, r.bodyUsed, [...r.headers]],
        [r instanceof Response, r.constructor === Response, r.constructor.name, Object.keys(r), String(r)],
      ],
    ],
    "headers are read-only": [
      SMALL,
      {},
      async (r) => [
        await call(() => r.headers.set("x-new", "1")),
        await call(() => r.headers.append("x-multi", "b")),
        await call(() => r.headers.delete("content-type")),
        [...r.headers],
        await call(() => r.clone().headers.set("x-new", "1")),
      ],
    ],
    "a followed redirect: url and redirected, on clones too": [
      MOVED,
      {},
      async (r) => {
        const clone = r.clone();
        const again = clone.clone();
        return [r.redirected, r.url, clone.redirected, clone.url, again.redirected, again.url, again.type];
      },
    ],
    "text twice": [SMALL, {}, async (r) => [await call(() => r.text()), r.bodyUsed, await call(() => r.text())]],
    "json, then arrayBuffer": [
      FORM,
      {},
      async (r) => [await call(() => r.json()), r.bodyUsed, await call(() => r.arrayBuffer())],
    ],
    "arrayBuffer and bytes": [
      SMALL,
      {},
      async (r) => {
        const buffer = await r.arrayBuffer();
        return [buffer instanceof ArrayBuffer, buffer.byteLength, decode(buffer), await call(() => r.bytes())];
      },
    ],
    bytes: [
      SMALL,
      {},
      async (r) => {
        const bytes = await r.bytes();
        return [bytes.constructor.name, bytes.byteLength, bytes.byteOffset, bytes.buffer.byteLength, decode(bytes)];
      },
    ],
    blob: [SMALL, {}, async (r) => [await r.blob().then(async (b) => [b.type, b.size, await b.text()]), r.bodyUsed]],
    formData: [FORM, {}, async (r) => [[...(await r.formData())], r.bodyUsed, await call(() => r.text())]],
    "the body stream, then text": [
      SMALL,
      {},
      async (r) => [
        r.body?.locked,
        [r.body].includes(r.body), // the same stream each time
        await readStream(r.body),
        r.bodyUsed,
        await call(() => r.text()),
      ],
    ],
    "text, then the body stream": [
      SMALL,
      {},
      async (r) => [await r.text(), r.body === null, r.body?.locked, r.bodyUsed, await call(() => r.clone())],
    ],
    "clone, then both read": [
      SMALL,
      {},
      async (r) => {
        const clone = r.clone();
        const again = clone.clone();
        return [
          [clone instanceof Response, clone.type, clone.url === r.url, clone.status, Object.keys(clone)],
          [again.type, again.url === r.url, [...again.headers]],
          [await clone.text(), await r.text(), await again.text(), clone.bodyUsed, again.bodyUsed],
        ];
      },
    ],
    "a 204: null body, read as empty every time": [
      NONE,
      {},
      async (r) => [r.body, r.bodyUsed, await call(() => r.text()), await call(() => r.text()), r.bodyUsed],
    ],
    "HEAD: null body": [
      SMALL,
      { method: "HEAD" },
      async (r) => [r.body, await call(() => r.arrayBuffer()), r.bodyUsed],
    ],
    "a large body read late, as a stream": [
      LARGE,
      {},
      async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return [(await readStream(r.body)) === LARGE_BODY, r.bodyUsed];
      },
    ],
    "a large body read late, whole": [
      LARGE,
      {},
      async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return [(await r.text()) === LARGE_BODY, r.bodyUsed];
      },
    ],
  };

  for (const [name, [path, init, see]] of Object.entries(scenarios)) {
    it(name, async () => {
      const nodeFetch = createNodeFetch();
      const ours = await see(await nodeFetch(at(path), init));
      const undici = await see(await fetch(at(path), init));
      expect(ours).toEqual(undici);
      nodeFetch.close();
    });
  }

  it("a response left unread frees its connection once its small body has arrived", async () => {
    const nodeFetch = createNodeFetch({ maxSockets: 1 });
    const unread = await nodeFetch(at(ECHO));
    const next = await nodeFetch(at(ECHO), { signal: AbortSignal.timeout(2_000) });
    expect(next.headers.get("x-port")).toBe(unread.headers.get("x-port"));
    expect(await unread.json()).toMatchObject({ method: "GET" });
    nodeFetch.close();
  });

  it("a large body left unread is not read to its end (the socket waits), and arrives whole when read", async () => {
    const size = 32 * 1024 * 1024;
    let finished = false;
    const path = route("/members-huge", (_req, res) => {
      res.writeHead(200, { "content-length": String(size) });
      res.end(Buffer.alloc(size, 0x61), () => (finished = true));
    });
    const nodeFetch = createNodeFetch();
    for (const send of [nodeFetch, fetch]) {
      finished = false;
      const response = await send(at(path));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(finished).toBe(false);
      expect((await response.arrayBuffer()).byteLength).toBe(size);
      for (let waited = 0; !finished && waited < 2_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      expect(finished).toBe(true);
    }
    nodeFetch.close();
  });

  it("cancelling the body as soon as the response arrives ends it quietly, and the next request is answered", async () => {
    const nodeFetch = createNodeFetch({ maxSockets: 1 });
    for (let i = 0; i < 5; i++) {
      const response = await nodeFetch(at(LARGE));
      await response.body!.cancel();
      expect(response.bodyUsed).toBe(true);
    }
    expect(await (await nodeFetch(at(SMALL))).text()).toBe("caf\u00e9 \ud83d\ude00");
    nodeFetch.close();
  });

  it("a large response collected unread frees its connection, as the global fetch's", async () => {
    const nodeFetch = createNodeFetch({ maxSockets: 1 });
    await (async () => {
      const unread = await nodeFetch(at(LARGE));
      expect(unread.status).toBe(200);
    })();
    const next = nodeFetch(at(SMALL));
    let answered = false;
    void next.then(() => (answered = true));
    for (let i = 0; i < 150 && !answered; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answered).toBe(true);
    expect(await (await next).text()).toBe("caf\u00e9 \ud83d\ude00");
    nodeFetch.close();
  });

  it("responses read late keep none of their bodies once read, however long they are kept", async () => {
    const size = 4 * 1024 * 1024;
    const path = route("/members-4mib", (_req, res) => res.writeHead(200).end(Buffer.alloc(size, 0x62)));
    const nodeFetch = createNodeFetch();
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const kept: Response[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await nodeFetch(at(path));
      await new Promise((resolve) => setTimeout(resolve, 30)); // the socket waits: the response is registered
      expect((await response.text()).length).toBe(size);
      kept.push(response);
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server lets go of what it wrote
    gc();
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(kept).toHaveLength(10);
    expect(grown).toBeLessThan(16 * 1024 * 1024); // 40 MiB more if each kept its chunks
    nodeFetch.close();
  });
});

describe("createNodeFetch: redirects", () => {
  const TARGET = route("/target", (req, res, body) =>
    res.writeHead(200).end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null })),
  );

  it("follows a 302 after a POST as a GET without the body", async () => {
    const path = route("/found", (_req, res) => res.writeHead(302, { location: "/target" }).end());
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(path), { method: "POST", body: "payload" });
    expect(await response.json()).toEqual({ method: "GET", body: "", auth: null });
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(at(TARGET));
    nodeFetch.close();
  });

  it("follows a 307 with the same method and body, keeping Authorization on the same origin", async () => {
    const path = route("/temporary", (_req, res) => res.writeHead(307, { location: at(TARGET) }).end());
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(path), {
      method: "POST",
      body: "payload",
      headers: { authorization: "AWS4-HMAC-SHA256 x" },
    });
    expect(await response.json()).toEqual({ method: "POST", body: "payload", auth: "AWS4-HMAC-SHA256 x" });
    nodeFetch.close();
  });

  it("drops Authorization when a redirect crosses origins", async () => {
    const path = route("/elsewhere", (_req, res) =>
      res.writeHead(307, { location: at(TARGET).replace("127.0.0.1", "localhost") }).end(),
    );
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(path), {
      method: "POST",
      body: "payload",
      headers: { authorization: "AWS4-HMAC-SHA256 x" },
    });
    expect(await response.json()).toEqual({ method: "POST", body: "payload", auth: null });
    nodeFetch.close();
  });

  it("drops every header carrying a credential when a redirect leaves the origin, keeping them on the same origin", async () => {
    const credentialHeaders = {
      authorization: "AWS4-HMAC-SHA256 x",
      "proxy-authorization": "Basic x",
      cookie: "session=x",
      "x-amz-security-token": "session-token",
      "x-amz-sso_bearer_token": "sso-token",
      "x-aws-ec2-metadata-token": "imds-token",
    };
    const echoed = async (location: string) => {
      const path = route("/leaving", (_req, res) => res.writeHead(307, { location }).end());
      const nodeFetch = createNodeFetch();
      const response = await nodeFetch(at(path), {
        method: "POST",
        body: "payload",
        headers: { ...credentialHeaders, "x-amz-target": "kept" },
      });
      nodeFetch.close();
      return ((await response.json()) as { headers: Record<string, string> }).headers;
    };
    const sameOrigin = await echoed(ECHO);
    expect(sameOrigin).toMatchObject({ ...credentialHeaders, "x-amz-target": "kept" });
    const otherHost = await echoed(at(ECHO).replace("127.0.0.1", "localhost"));
    expect(otherHost["x-amz-target"]).toBe("kept");
    for (const name of Object.keys(credentialHeaders)) expect(otherHost, name).not.toHaveProperty(name);
  });

  it('returns the redirect itself with redirect: "manual"', async () => {
    const path = route("/manual", (_req, res) => res.writeHead(301, { location: "/target" }).end());
    const nodeFetch = createNodeFetch();
    const response = await nodeFetch(at(path), { redirect: "manual" });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/target");
    nodeFetch.close();
  });

  it('rejects with TypeError "fetch failed" on redirect: "error" and after 20 redirects', async () => {
    const loop = route("/loop", (_req, res) => res.writeHead(302, { location: "/loop" }).end());
    const nodeFetch = createNodeFetch();
    const error = (await rejection(nodeFetch(at(loop), { redirect: "error" }))) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("fetch failed");
    const tooMany = (await rejection(nodeFetch(at(loop)))) as TypeError;
    expect(tooMany.message).toBe("fetch failed");
    expect((tooMany.cause as Error).message).toBe("redirect count exceeded");
    nodeFetch.close();
  });
});

describe("createNodeFetch: failures, aborts and timeouts", () => {
  it('rejects with TypeError "fetch failed" and the socket error as cause when the connection is refused', async () => {
    const nodeFetch = createNodeFetch();
    const error = (await rejection(nodeFetch(`http://127.0.0.1:${await freePort()}/`))) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("fetch failed");
    expect((error.cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });

  it("rejects an https URL it cannot reach the same way (the https agent is wired)", async () => {
    const nodeFetch = createNodeFetch();
    const error = (await rejection(nodeFetch(`https://127.0.0.1:${await freePort()}/`))) as TypeError;
    expect(error.message).toBe("fetch failed");
    expect((error.cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });

  it('errors the body with TypeError "terminated" when the server resets mid-body, read as it comes or after', async () => {
    const path = route("/reset", (_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("only part of it", () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
    });
    const nodeFetch = createNodeFetch();
    for (const wait of [0, 100]) {
      const response = await nodeFetch(at(path));
      await new Promise((resolve) => setTimeout(resolve, wait));
      const error = (await rejection(response.text())) as TypeError;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe("terminated");
      expect(error.cause).toBeInstanceOf(Error);
    }
    nodeFetch.close();
  });

  it("rejects with the signal's reason, sending nothing, when the signal is already aborted", async () => {
    let hits = 0;
    const path = route("/count", (_req, res) => {
      hits++;
      res.end("counted");
    });
    const nodeFetch = createNodeFetch();
    const reason = new Error("stop");
    await expect(nodeFetch(at(path), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hits).toBe(0);
  });

  it("rejects with the signal's reason when aborted while waiting for the headers", async () => {
    route("/hang", () => {});
    const nodeFetch = createNodeFetch();
    const error = (await rejection(nodeFetch(`${base}/hang`, { signal: AbortSignal.timeout(50) }))) as DOMException;
    expect(error.name).toBe("TimeoutError");
    nodeFetch.close();
  });

  it("errors the body with the signal's reason when aborted while the body streams", async () => {
    const path = route("/trickle", (_req, res) => {
      res.writeHead(200);
      res.write("some");
    });
    const nodeFetch = createNodeFetch();
    const controller = new AbortController();
    const response = await nodeFetch(at(path), { signal: controller.signal });
    const reading = rejection(response.text());
    controller.abort(new Error("enough"));
    expect(((await reading) as Error).message).toBe("enough");
    nodeFetch.close();
  });

  it("fails after headersTimeout with a cause coded UND_ERR_HEADERS_TIMEOUT", async () => {
    route("/slow-headers", () => {});
    const nodeFetch = createNodeFetch({ headersTimeout: 50 });
    const error = (await rejection(nodeFetch(`${base}/slow-headers`))) as TypeError;
    expect(error.message).toBe("fetch failed");
    expect((error.cause as { code: string }).code).toBe("UND_ERR_HEADERS_TIMEOUT");
    nodeFetch.close();
  });

  it("does not count time queued for a free socket against headersTimeout", async () => {
    // The only socket stays busy with a body the test holds open for three headersTimeouts; the second request waits
    // for it all that time, and is answered at once when it gets it.
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    const busy = route("/holds-the-socket", (_req, res) => {
      res.writeHead(200).write("part");
      void held.then(() => res.end(" and the rest"));
    });
    const quick = route("/answers-at-once", (_req, res) => res.writeHead(200).end("ok"));
    const nodeFetch = createNodeFetch({ maxSockets: 1, headersTimeout: 500 });
    const first = await nodeFetch(at(busy));
    const second = nodeFetch(at(quick));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    finish();
    expect(await first.text()).toBe("part and the rest");
    expect((await second).status).toBe(200);
    nodeFetch.close();
  });

  it("errors the body after bodyTimeout of silence with a cause coded UND_ERR_BODY_TIMEOUT", async () => {
    const path = route("/stall", (_req, res) => {
      res.writeHead(200);
      res.write("start");
    });
    const nodeFetch = createNodeFetch({ bodyTimeout: 50 });
    const response = await nodeFetch(at(path));
    const error = (await rejection(response.text())) as TypeError;
    expect(error.message).toBe("terminated");
    expect((error.cause as { code: string }).code).toBe("UND_ERR_BODY_TIMEOUT");
    nodeFetch.close();
  });

  it("bodyTimeout is a silence: a body whose chunks keep coming within it may take longer in all", async () => {
    const path = route("/trickle", (_req, res) => {
      res.writeHead(200);
      let left = 5;
      const next = (): void => {
        if (--left === 0) res.end("end");
        else {
          res.write(`${left},`);
          setTimeout(next, 250);
        }
      };
      next();
    });
    const nodeFetch = createNodeFetch({ bodyTimeout: 1_000 });
    for (const send of [nodeFetch, nodeFetch.exchange]) expect(await (await send(at(path))).text()).toBe("4,3,2,1,end");
    nodeFetch.close();
  });

  it("does not count a slow reader's pause against bodyTimeout", async () => {
    const big = "x".repeat(512 * 1024);
    const path = route("/big", (_req, res) => res.writeHead(200).end(big));
    const nodeFetch = createNodeFetch({ bodyTimeout: 150 });
    const response = await nodeFetch(at(path));
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await response.text()).toHaveLength(big.length);
    nodeFetch.close();
  });

  it("readTimeout: bytes trickling in before the headers restart the wait; a silence longer than it fails coded UND_ERR_HEADERS_TIMEOUT", async () => {
    const head = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n";
    // One byte every 20 ms: 700 ms to the last header byte, never 150 ms of silence; then the body never comes.
    const trickler = createTcpServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => {
        let i = 0;
        const tick = setInterval(() => (i < head.length ? socket.write(head[i++]!) : clearInterval(tick)), 20);
        socket.on("close", () => clearInterval(tick));
      });
    });
    await new Promise<void>((resolve) => trickler.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(trickler.address() as AddressInfo).port}/`;
    try {
      const total = createNodeFetch({ headersTimeout: 150 });
      expect(((await rejection(total(url))) as TypeError).cause).toMatchObject({ code: "UND_ERR_HEADERS_TIMEOUT" });
      total.close();
      const idle = createNodeFetch({ readTimeout: 150 });
      const response = await idle(url);
      expect(response.status).toBe(200);
      expect(((await rejection(response.text())) as TypeError).cause).toMatchObject({ code: "UND_ERR_BODY_TIMEOUT" });
      idle.close();
      const silent = createNodeFetch({ readTimeout: 100 });
      expect(((await rejection(silent(`${base}/slow-headers`))) as TypeError).cause).toMatchObject({
        code: "UND_ERR_HEADERS_TIMEOUT",
      });
      silent.close();
    } finally {
      trickler.close();
    }
  });

  it("decompress: false hands a gzip body over as it was sent", async () => {
    const packed = gzipSync("packed");
    const path = route("/gzip-raw", (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(packed));
    const nodeFetch = createNodeFetch({ decompress: false });
    const response = await nodeFetch(at(path));
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(packed);
    nodeFetch.close();
  });

  it("refuses bad input with a TypeError naming the problem", async () => {
    const nodeFetch = createNodeFetch();
    await expect(nodeFetch("not a url")).rejects.toThrow(/Failed to parse URL from not a url/);
    await expect(nodeFetch(at(ECHO), { method: "GET", body: "x" })).rejects.toThrow(
      /GET\/HEAD method cannot have body/,
    );
    await expect(nodeFetch(at(ECHO), { headers: { "bad header": "x" } })).rejects.toThrow(TypeError);
    await expect(nodeFetch("ftp://127.0.0.1/")).rejects.toThrow("fetch failed");
    expect(() => createNodeFetch({ headersTimeout: -1 })).toThrow(/headersTimeout must be/);
    expect(() => createNodeFetch({ maxSockets: 0 })).toThrow(/maxSockets must be/);
    expect(() => createNodeFetch({ keepAlive: "yes" as unknown as boolean })).toThrow(/keepAlive must be a boolean/);
    expect(() => createNodeFetch({ readTimeout: 1000, bodyTimeout: 1000 })).toThrow(
      /readTimeout takes the place of headersTimeout and bodyTimeout/,
    );
    expect(() => createNodeFetch({ readTimeout: -1 })).toThrow(/readTimeout must be/);
    expect(() => createNodeFetch({ decompress: "no" as unknown as boolean })).toThrow(/decompress must be a boolean/);
  });
});

describe.skipIf(!opensslAvailable)("createNodeFetch: TLS", () => {
  let dir: string;
  let ca: string;
  let tlsBase: string;
  const servers: Array<{ close(): unknown }> = [];
  const held = new Set<Socket>();
  const listen = async (server: Server | ReturnType<typeof createTcpServer>): Promise<number> => {
    servers.push(server);
    server.on("connection", (socket: Socket) => {
      held.add(socket);
      socket.on("close", () => held.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cae-node-tls-"));
    const certificates = makeCertificates(dir);
    ca = readFileSync(certificates.caFile, "utf8");
    const server = createHttpsServer({ key: certificates.keyPem, cert: certificates.certPem }, (_req, res) =>
      res.writeHead(200).end("secure"),
    );
    tlsBase = `https://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => {
    for (const socket of held) socket.destroy();
    for (const server of servers) server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a certificate from a CA it does not know, with the TLS error as cause", async () => {
    const nodeFetch = createNodeFetch();
    const error = (await rejection(nodeFetch(tlsBase))) as TypeError;
    expect(error.message).toBe("fetch failed");
    expect((error.cause as NodeJS.ErrnoException).code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    nodeFetch.close();
  });

  it("tls.ca: trusts the certificates given", async () => {
    const nodeFetch = createNodeFetch({ tls: { ca } });
    expect(await (await nodeFetch(tlsBase)).text()).toBe("secure");
    nodeFetch.close();
  });

  it("tls.rejectUnauthorized: false accepts a certificate it cannot verify", async () => {
    const nodeFetch = createNodeFetch({ tls: { rejectUnauthorized: false } });
    expect((await nodeFetch(tlsBase)).status).toBe(200);
    nodeFetch.close();
  });

  it("a TLS handshake that outlasts connectTimeout: UND_ERR_CONNECT_TIMEOUT with tlsHandshake true", async () => {
    // Accepts the TCP connection, never answers the ClientHello.
    const silent = createTcpServer((socket) => socket.on("error", () => {}));
    const port = await listen(silent);
    const nodeFetch = createNodeFetch({ connectTimeout: 100 });
    const error = (await rejection(nodeFetch(`https://127.0.0.1:${port}/`))) as TypeError;
    expect(error.message).toBe("fetch failed");
    expect(error.cause).toMatchObject({
      name: "ConnectTimeoutError",
      code: "UND_ERR_CONNECT_TIMEOUT",
      tlsHandshake: true,
    });
    expect((error.cause as Error).message).toBe(
      `Connect Timeout Error (attempted address: 127.0.0.1:${port}, timeout: 100ms)`,
    );
    nodeFetch.close();
  });

  it("refuses tls options it cannot use with a TypeError naming them", () => {
    expect(() => createNodeFetch({ tls: { rejectUnauthorized: "no" as unknown as boolean } })).toThrow(
      /tls.rejectUnauthorized must be a boolean/,
    );
    expect(() => createNodeFetch({ tls: { ca: 42 as unknown as string } })).toThrow(/tls.ca must be/);
    expect(() => createNodeFetch({ tls: { ca }, agents: { https: new HttpsAgent() } })).toThrow(
      /tls cannot be combined with agents.https/,
    );
  });
});

describe("createNodeFetch as the client's fetch, against the emulator", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: "transport", users: 2, events: 130 });
  });
  afterAll(() => emulator.close());
  const clientWith = (nodeFetch: FetchLike, extra: { requestTimeout?: number; maxAttempts?: number } = {}) =>
    new CognitoIdentityProviderClient({
      region: "us-east-1",
      endpoint: emulator.url,
      credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" },
      fetch: nodeFetch,
      ...extra,
    });

  it("lists a user's events exactly as the global fetch does, through the exchange and the fetch", async () => {
    const nodeFetch = createNodeFetch();
    const list = async (client: CognitoIdentityProviderClient) => {
      const ids: string[] = [];
      for await (const page of paginateAdminListUserAuthEvents(
        { client, pageSize: 60 },
        { UserPoolId: "us-east-1_demoPlus", Username: "alice" },
      )) {
        for (const event of page.AuthEvents ?? []) ids.push(`${event.EventId} ${event.CreationDate?.toISOString()}`);
      }
      return ids;
    };
    const viaExchange = await list(clientWith(nodeFetch.exchange));
    expect(viaExchange).toHaveLength(130);
    expect(viaExchange).toEqual(await list(clientWith(fetch)));
    expect(await list(clientWith(nodeFetch))).toEqual(viaExchange);
    nodeFetch.close();
  });

  it("surfaces a connection reset as the client's NetworkError with the TypeError as cause", async () => {
    const nodeFetch = createNodeFetch();
    const remove = emulator.core.addFault({ kind: "reset", operation: "AdminListUserAuthEvents" });
    try {
      const error = (await rejection(
        clientWith(nodeFetch.exchange, { maxAttempts: 1 }).send(
          new AdminListUserAuthEventsCommand({ UserPoolId: "us-east-1_demoPlus", Username: "alice" }),
        ),
      )) as NetworkError;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.cause).toBeInstanceOf(TypeError);
    } finally {
      remove();
      nodeFetch.close();
    }
  });

  it("lets the client's requestTimeout abandon a slow answer as a TimeoutError", async () => {
    const nodeFetch = createNodeFetch();
    const remove = emulator.core.addFault({ kind: "slow", delayMs: 1000, operation: "AdminListUserAuthEvents" });
    try {
      const error = await rejection(
        clientWith(nodeFetch.exchange, { maxAttempts: 1, requestTimeout: 50 }).send(
          new AdminListUserAuthEventsCommand({ UserPoolId: "us-east-1_demoPlus", Username: "alice" }),
        ),
      );
      expect(error).toBeInstanceOf(TimeoutError);
    } finally {
      remove();
      nodeFetch.close();
    }
  });
});

describe("createNodeFetch().exchange (what the client is given): the same answers as the fetch's Response", () => {
  it("status, headers.get (any case, repeats joined) and text(): gzip decoded, a BOM dropped, UTF-8 as Response.text()", async () => {
    const body = '\uFEFF{"city":"Reykjav\u00edk", "e":"\ud83d\ude00"}';
    const path = route("/lean", (_req, res) => {
      res.writeHead(
        201,
        [
          ["X-Amzn-RequestId", "r1"],
          ["x-multi", "a"],
          ["X-Multi", "b"],
          ["content-encoding", "gzip"],
        ].flat(),
      );
      res.end(gzipSync(Buffer.concat([Buffer.from(body), Buffer.from([0xff, 0x41])])));
    });
    const nodeFetch = createNodeFetch();
    const web = await nodeFetch(at(path), { method: "POST", body: "x" });
    const lean = await nodeFetch.exchange(at(path), { method: "POST", body: "x" });
    expect(lean).not.toBeInstanceOf(Response);
    expect(lean.status).toBe(201);
    for (const name of ["x-amzn-requestid", "X-MULTI", "absent"])
      expect(lean.headers.get(name)).toBe(web.headers.get(name));
    expect(await lean.text()).toBe(await web.text());
    await expect(lean.text()).rejects.toBeInstanceOf(TypeError);
    nodeFetch.close();
  });

  it("HEAD and 204 answers read as empty; error statuses are answers; redirects are answers unless redirect: follow", async () => {
    const nodeFetch = createNodeFetch();
    const lean = nodeFetch.exchange;
    const none = route("/lean-204", (_req, res) => res.writeHead(204).end());
    const moved = route("/lean-moved", (_req, res) => res.writeHead(302, { location: ECHO }).end("moved"));
    const teapot = route("/lean-418", (_req, res) => res.writeHead(418, { "x-amzn-errortype": "Teapot" }).end("{}"));
    expect(await (await lean(at(none))).text()).toBe("");
    expect(await (await lean(at(ECHO), { method: "HEAD" })).text()).toBe("");
    const redirect = await lean(at(moved), { method: "POST", body: "b" });
    expect([redirect.status, redirect.headers.get("location"), await redirect.text()]).toEqual([302, ECHO, "moved"]);
    const followed = await lean(at(moved), { method: "POST", body: "b", redirect: "follow" });
    expect((JSON.parse(await followed.text()) as { method: string }).method).toBe("GET");
    const failed = await lean(at(teapot));
    expect([failed.status, failed.headers.get("x-amzn-errortype"), await failed.text()]).toEqual([418, "Teapot", "{}"]);
    nodeFetch.close();
  });

  it("the client given it fails on a redirect with the 3xx, as the AWS SDK's client does, sending nothing to the Location", async () => {
    const reached: string[] = [];
    const LOOT = route("/loot", (req, res) => {
      reached.push(String(req.headers["x-amz-security-token"]));
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end("{}");
    });
    // The SDK sends to the endpoint's path with a trailing slash, the client to the path as given.
    const away = route("/away/", (_req, res) =>
      res.writeHead(307, { location: at(LOOT).replace("127.0.0.1", "localhost") }).end(),
    );
    const options = {
      region: "us-east-1",
      endpoint: at(away),
      credentials: { accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "session-token" },
      maxAttempts: 1,
    };
    const input = { UserPoolId: "us-east-1_example", Username: "alice" };
    const nodeFetch = createNodeFetch();
    const ours = await rejection(
      new CognitoIdentityProviderClient({ ...options, fetch: nodeFetch.exchange }).send(
        new AdminListUserAuthEventsCommand(input),
      ),
    );
    const theirs = await rejection(new SdkClient(options).send(new SdkAdminListUserAuthEventsCommand(input)));
    nodeFetch.close();
    for (const error of [ours, theirs])
      expect(error).toMatchObject({ $fault: "client", $metadata: { httpStatusCode: 307 } });
    expect(reached).toEqual([]);
  });

  it("text() fails as the body stream would: terminated on a reset, the signal's reason on abort, terminated after bodyTimeout", async () => {
    const reset = route("/lean-reset", (_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("only part of it", () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
    });
    const stall = route("/lean-stall", (_req, res) => {
      res.writeHead(200);
      res.write("start");
    });
    const nodeFetch = createNodeFetch({ bodyTimeout: 100 });
    const lean = nodeFetch.exchange;
    const cut = (await rejection((await lean(at(reset))).text())) as TypeError;
    expect([cut instanceof TypeError, cut.message, cut.cause instanceof Error]).toEqual([true, "terminated", true]);
    const controller = new AbortController();
    const response = await lean(at(stall), { signal: controller.signal });
    const reading = rejection(response.text());
    controller.abort(new Error("enough"));
    expect(((await reading) as Error).message).toBe("enough");
    const stalled = (await rejection((await lean(at(stall))).text())) as TypeError;
    expect(stalled.message).toBe("terminated");
    expect((stalled.cause as { code: string }).code).toBe("UND_ERR_BODY_TIMEOUT");
    nodeFetch.close();
  });
});
