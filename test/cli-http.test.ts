/** The CLI's fetch (src/cli/http.ts: createNodeFetch set up as botocore's connections are) on odd answers. */
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { TransportError, createCliFetch } from "../src/cli/http.ts";

it("an HTTP status past 599 rejects with a TransportError instead of crashing the process", async () => {
  const server = createServer((socket) => {
    socket.once("data", () => socket.end("HTTP/1.1 600 Odd\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { fetch, close } = createCliFetch();
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const error = await fetch(url, { method: "POST", body: "{}" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
  } finally {
    close();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A raw TCP server that answers the first bytes of a request with `script`; the CLI fetch against it. */
async function against(
  script: (socket: Socket) => void,
  run: (url: string, fetch: typeof globalThis.fetch) => Promise<void>,
  readTimeoutMs?: number,
): Promise<void> {
  const server = createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => script(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { fetch, close } = createCliFetch(readTimeoutMs === undefined ? {} : { readTimeoutMs });
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, fetch);
  } finally {
    close();
    await new Promise((resolve) => server.close(resolve));
  }
}

it("a redirect is the answer, not followed, as botocore does", async () => {
  await against(
    (socket) =>
      socket.end("HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:1/\r\ncontent-length: 0\r\n\r\n"),
    async (url, fetch) => expect((await fetch(url, { method: "POST", body: "{}" })).status).toBe(307),
  );
});

it("a gzip body is handed over as sent, as botocore does (it does not undo a coding it never asked for)", async () => {
  const packed = gzipSync("{}");
  await against(
    (socket) =>
      socket.end(
        Buffer.concat([
          Buffer.from(`HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: ${packed.length}\r\n\r\n`),
          packed,
        ]),
      ),
    async (url, fetch) =>
      expect(Buffer.from(await (await fetch(url, { method: "POST", body: "{}" })).arrayBuffer())).toEqual(packed),
  );
});

it("--cli-read-timeout bounds each silence, not the whole wait: headers trickling in are waited for; a silence fails with botocore's words", async () => {
  const head = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n";
  const trickle = (body: string) => (socket: Socket) => {
    let i = 0;
    const tick = setInterval(() => {
      if (i < head.length) {
        socket.write(head[i++]!);
        return;
      }
      clearInterval(tick);
      socket.write(body);
    }, 20);
    socket.on("close", () => clearInterval(tick));
  };
  await against(
    trickle("{}"),
    async (url, fetch) => expect(await (await fetch(url, { method: "POST", body: "{}" })).text()).toBe("{}"),
    150,
  );
  await against(
    trickle("{"),
    async (url, fetch) => {
      const error = await fetch(url, { method: "POST", body: "{}" }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toBe(`Read timeout on endpoint URL: "${url}"`);
    },
    150,
  );
});
