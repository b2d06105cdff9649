/** The CLI's own node:http fetch (src/cli/http.ts) on answers a Response cannot hold. */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
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
    const error = await fetch(url, { method: "POST", body: "{}" }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
  } finally {
    close();
    await new Promise((resolve) => server.close(resolve));
  }
});
