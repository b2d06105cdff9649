/**
 * Test support for the pagination oracle: the in-memory fake service (the twin of FakeService in
 * botocore_paginate.py), a long-lived botocore oracle process, and `runOurs`, which produces the
 * same result shape as the oracle's `paginate` op so the two compare with one `toEqual`.
 *
 * To compare against the emulator instead, keep `OracleCase`'s result shape: run our paginator
 * with the real client and the oracle's `paginate_boto3` op against the emulator's endpoint.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  createPaginator,
  type PaginationClient,
  type PaginationConfiguration,
  type PaginatorSpec,
} from "../../src/paginate.ts";

export const AUTH_EVENTS_SPEC = {
  inputToken: "NextToken",
  outputToken: "NextToken",
  items: "AuthEvents",
  pageSize: "MaxResults",
} as const;
export const LIST_USERS_SPEC = {
  inputToken: "PaginationToken",
  outputToken: "PaginationToken",
  items: "Users",
  pageSize: "Limit",
} as const;

/** One listing over the fake service, understood by both implementations. */
export interface OracleCase {
  spec: PaginatorSpec & { items: string };
  /** Items in the listing. */
  n: number;
  itemPrefix?: string;
  /** Service tokens are `tokenPrefix + offset`. */
  tokenPrefix?: string;
  defaultPageSize?: number;
  maxPageSize?: number;
  /** From this offset on the service answers with the token it was sent. */
  stuckAt?: number;
  /** How the last page says "no more". */
  end?: "absent" | "null" | "empty";
  pageSize?: number;
  maxItems?: number;
  startingToken?: string;
  input?: Record<string, unknown>;
  /** Also run build_full_result (a second listing). */
  full?: boolean;
}

export interface ListingResult {
  pages: string[][];
  requests: { token: string | null; limit: number | null }[];
  resumeToken?: string | null;
  error?: { type: string; message?: string };
  full?:
    | { items: string[] | null; NextToken: string | null; keys: string[] }
    | { error: { type: string; message?: string } };
}

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

type Item = { Id: string };

/** The fake service as a client: `send(command)` answers from `command.input`. */
export class FakeService implements PaginationClient {
  readonly requests: { token: string | null; limit: number | null }[] = [];
  /** Every `send` call's options, to check the abort signal is passed through. */
  readonly options: ({ abortSignal?: AbortSignal } | undefined)[] = [];
  /** Commands as received, to check the caller's input is never reused. */
  readonly inputs: Record<string, unknown>[] = [];
  /** Requests started but not settled. */
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly c: OracleCase,
    readonly hooks: {
      /** Wait before answering request number `i` (0-based); honours the abort signal. */
      delayMs?: (i: number) => number;
      /** Fail request number `i`. */
      failAt?: number;
    } = {},
  ) {}

  async send(command: { input: object }, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const i = this.requests.length;
    const input = command.input as Record<string, unknown>;
    const { spec } = this.c;
    const token = (input[spec.inputToken] as string | undefined) ?? null;
    const limit = spec.pageSize ? ((input[spec.pageSize] as number | undefined) ?? null) : null;
    this.requests.push({ token, limit });
    this.options.push(options);
    this.inputs.push(input);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const delay = this.hooks.delayMs?.(i) ?? 0;
      if (delay > 0) await sleep(delay, options?.abortSignal);
      if (options?.abortSignal?.aborted) throw options.abortSignal.reason;
      if (this.hooks.failAt === i) throw new ServiceError("InternalErrorException", `request ${i} failed`);
      return this.page(token, limit);
    } finally {
      this.inFlight--;
    }
  }

  private page(token: string | null, limit: number | null): Record<string, unknown> {
    const { spec, n } = this.c;
    const tokenPrefix = this.c.tokenPrefix ?? "tok:";
    let offset = 0;
    if (token !== null) {
      const rest = token.startsWith(tokenPrefix) ? token.slice(tokenPrefix.length) : undefined;
      if (rest === undefined || !/^[0-9]+$/.test(rest))
        throw new ServiceError("InvalidParameterException", "Invalid pagination token");
      offset = Number(rest);
    }
    if (limit !== null && limit > (this.c.maxPageSize ?? 60))
      throw new ServiceError("InvalidParameterException", "page size too large");
    const size = limit ? limit : (this.c.defaultPageSize ?? 60);
    const items: Item[] = [];
    for (let i = offset; i < Math.min(offset + size, n); i++) items.push({ Id: `${this.c.itemPrefix ?? "e"}${i}` });
    const out: Record<string, unknown> = { [spec.items]: items };
    if (this.c.stuckAt !== undefined && offset >= this.c.stuckAt && token !== null) out[spec.outputToken] = token;
    else if (offset + size < n) out[spec.outputToken] = `${tokenPrefix}${offset + size}`;
    else if (this.c.end === "null") out[spec.outputToken] = null;
    else if (this.c.end === "empty") out[spec.outputToken] = "";
    return out;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function paginatorFor<const ItemsKey extends string>(spec: PaginatorSpec & { items: ItemsKey }) {
  return createPaginator<Record<string, unknown>, Record<string, unknown>, ItemsKey>(spec, (input) => ({ input }));
}

export function configOf(c: OracleCase, client: PaginationClient): PaginationConfiguration {
  return {
    client,
    ...(c.pageSize !== undefined ? { pageSize: c.pageSize } : {}),
    ...(c.maxItems !== undefined ? { maxItems: c.maxItems } : {}),
    ...(c.startingToken !== undefined ? { startingToken: c.startingToken } : {}),
  };
}

function errorOf(e: unknown): { type: string; message?: string } {
  if (e instanceof ServiceError) return { type: e.code, message: e.message };
  return { type: e instanceof Error ? e.name : typeof e, message: e instanceof Error ? e.message : String(e) };
}

/** Our paginator over the TypeScript fake, in the oracle's result shape. */
export async function runOurs(c: OracleCase): Promise<ListingResult> {
  const paginate = paginatorFor(c.spec);
  const service = new FakeService(c);
  const result: ListingResult = { pages: [], requests: service.requests };
  let last: Record<string, unknown> | undefined;
  let lastRaw: unknown;
  try {
    for await (const page of paginate(configOf(c, service), c.input ?? {})) {
      last = page;
      lastRaw = page[c.spec.outputToken];
      result.pages.push(((page[c.spec.items] as Item[] | undefined) ?? []).map((item) => item.Id));
    }
    // The resume token is the last page's output token when maxItems stopped the listing; a last
    // page that ends the listing carries the service's own (empty or null) marker instead.
    const resume = last !== undefined && typeof lastRaw === "string" && lastRaw !== "" ? lastRaw : null;
    result.resumeToken = resume;
  } catch (e) {
    result.error = errorOf(e);
    return result;
  }
  if (c.full) {
    try {
      const full = (await paginate.buildFullResult(configOf(c, new FakeService(c)), c.input ?? {})) as Record<
        string,
        unknown
      >;
      const items = full[c.spec.items] as Item[] | undefined;
      result.full = {
        items: items === undefined ? null : items.map((i) => i.Id),
        NextToken: (full["NextToken"] as string | undefined) ?? null,
        keys: Object.keys(full),
      };
    } catch (e) {
      result.full = { error: errorOf(e) };
    }
  }
  return result;
}

/** The botocore oracle as a long-lived child process: one JSON line in, one JSON line out. */
export class Oracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private stderr = "";

  constructor() {
    const script = fileURLToPath(new URL("./botocore_paginate.py", import.meta.url));
    this.child = spawn("python3", [script], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONIOENCODING: "utf-8" },
    });
    this.child.stderr.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
    createInterface({ input: this.child.stdout }).on("line", (line) => this.waiting.shift()?.resolve(JSON.parse(line)));
    this.child.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`oracle exited (${code}): ${this.stderr}`));
    });
  }

  /** Sends one request (or an array of requests, answered as an array). */
  call<T = unknown>(request: object): Promise<T> {
    return new Promise<unknown>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    }) as Promise<T>;
  }

  paginate(c: OracleCase): Promise<ListingResult> {
    return this.call<ListingResult>({ op: "paginate", ...c });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once("exit", () => resolve());
      this.child.stdin.end();
    });
  }
}
