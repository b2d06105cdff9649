/**
 * The HTTP transport the global options ask for (`--cli-connect-timeout`, `--cli-read-timeout`, `--no-verify-ssl`,
 * the CA bundle), for every command that calls the service. See http.ts for the fetch itself.
 */

import { readFile } from "node:fs/promises";
import { isAbsolute, resolve as resolvePath } from "node:path";
import type { GlobalValues } from "./globals.ts";
import { type CliFetch, createCliFetch, insecureRequestWarning } from "./http.ts";
import type { CliIO } from "./io.ts";

const ERRNO: Readonly<Record<string, string>> = {
  ENOENT: "[Errno 2] No such file or directory",
  EACCES: "[Errno 13] Permission denied",
  EISDIR: "[Errno 21] Is a directory",
};

/**
 * Reads `--ca-bundle` / `ca_bundle` / `AWS_CA_BUNDLE` (relative to the working directory). A file
 * that cannot be read is not an error yet: as with the AWS CLI, each HTTPS request then fails
 * with "SSL validation failed for URL [Errno 2] No such file or directory" (and HTTP ones work).
 */
async function readCaBundle(path: string, io: Pick<CliIO, "cwd">): Promise<string | Error> {
  const full = isAbsolute(path) ? path : resolvePath(io.cwd, path);
  try {
    return await readFile(full, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    return new Error(ERRNO[code] ?? (error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

const caOption = (ca: string | Error): { ca: string } | { caError: Error } =>
  typeof ca === "string" ? { ca } : { caError: ca };

/** How {@link cliTransport} reports `--no-verify-ssl` requests. */
export interface CliTransportOptions {
  /** The CA bundle to trust, from the command line or the profile chain (a path). */
  caBundle?: string | undefined;
  /**
   * `"every"`: {@link insecureRequestWarning} on stderr before each unverified HTTPS request, as
   * the AWS CLI prints it; `"once"`: only before the first one (the audit makes thousands).
   * @default "every"
   */
  insecureWarnings?: "every" | "once";
  /** Connections kept per host. @default 10 */
  maxSockets?: number;
}

/**
 * The transport the global options ask for: `--cli-connect-timeout`, `--cli-read-timeout`
 * (seconds, 0 = none, default 60), `--no-verify-ssl`, the CA bundle; or the fetch the IO carries
 * (tests).
 * @example const transport = await cliTransport(globals, io, { caBundle }); ... transport.close();
 */
export async function cliTransport(
  globals: GlobalValues,
  io: CliIO,
  options: CliTransportOptions = {},
): Promise<CliFetch> {
  if (io.fetch) return { fetch: io.fetch, close: () => {} };
  const seconds = (name: string) => {
    const v = globals[name];
    return typeof v === "number" ? Math.max(0, v) * 1000 : 60_000;
  };
  let warned = false;
  return createCliFetch({
    connectTimeoutMs: seconds("connect_timeout"),
    readTimeoutMs: seconds("read_timeout"),
    verifySsl: globals["verify_ssl"] !== false,
    ...(options.caBundle ? caOption(await readCaBundle(options.caBundle, io)) : {}),
    ...(options.maxSockets !== undefined ? { maxSockets: options.maxSockets } : {}),
    onInsecureRequest: (host) => {
      if (options.insecureWarnings === "once" && warned) return;
      warned = true;
      void Promise.resolve(io.stderr(insecureRequestWarning(host))).catch(() => {});
    },
  });
}
