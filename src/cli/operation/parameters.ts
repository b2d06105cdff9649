/**
 * An operation's call parameters from its command line, as the AWS CLI builds them: values read from `file://`,
 * `fileb://`, `http://` and `https://`, lists, integers, `--cli-input-json` underneath, and the AWS CLI's messages
 * when one cannot be read.
 */

import { readFile } from "node:fs/promises";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { CliError, ParamError } from "../errors.ts";
import type { GlobalValues } from "../globals.ts";
import type { CliIO } from "../io.ts";
import { isPyObject, JsonSyntaxError, parseJson, type PyObject, type PyValue } from "../pyjson.ts";
import { isListTarget, type OperationSpec } from "./model.ts";

/**
 * awscli's paramfile: `file://` (text) and `fileb://` prefixes read a local file; `http://` and `https://` values are
 * fetched (AWS CLI v1's default; the profile's `cli_follow_urlparam = false` turns it off), except for
 * `--cli-input-json`, which reads local files only. `followUrls` is asked only for such a value.
 */
async function paramFile(
  value: string,
  from: { param: string; io: CliIO; followUrls?: () => Promise<boolean> },
): Promise<string | undefined> {
  const { param, io, followUrls } = from;
  if (followUrls && /^https?:\/\//.test(value) && (await followUrls())) {
    try {
      // awscli's get_uri: requests.get, then the body of a 200 answer, else "received non 200 status code of N".
      const response = await fetch(value);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 200) throw new Error(`received non 200 status code of ${response.status}`);
      // requests' `text`: the charset the answer names; text/* without one is ISO-8859-1 (byte = code point);
      // otherwise requests guesses, and UTF-8 is what it finds for UTF-8 bytes.
      const type = response.headers.get("content-type") ?? "";
      const charset = /;\s*charset=["']?([^"';\s]+)/i.exec(type)?.[1];
      if (!charset && /^\s*text\//i.test(type)) return Array.from(bytes, (b) => String.fromCharCode(b)).join("");
      return new TextDecoder(charset ?? "utf-8").decode(bytes);
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.cause instanceof Error
            ? `${error.message} (${error.cause.message})`
            : error.message
          : String(error);
      throw new ParamError(param, `Unable to retrieve ${value}: ${reason}`);
    }
  }
  const prefix = value.startsWith("file://") ? "file://" : value.startsWith("fileb://") ? "fileb://" : undefined;
  if (!prefix) return undefined;
  const path = value.slice(prefix.length);
  const home = io.env["HOME"] ?? "";
  const expanded = path === "~" || path.startsWith("~/") ? home + path.slice(1) : path;
  const full = isAbsolute(expanded) ? expanded : resolvePath(io.cwd, expanded);
  try {
    return await readFile(full, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === "ENOENT"
        ? `[Errno 2] No such file or directory: '${expanded}'`
        : error instanceof Error
          ? error.message
          : String(error);
    throw new ParamError(param, `Unable to load paramfile ${value}: ${reason}`);
  }
}

/** What {@link callParameters} reads. */
export interface ParameterRequest {
  /** The operation's options as parsed, by `dest`. */
  readonly values: GlobalValues;
  readonly io: CliIO;
  /** `--no-paginate` on a paginated operation: the paging options given go in as botocore's `PaginationConfig`. */
  readonly paginationOff: boolean;
  /** Whether `http://` and `https://` values are fetched (asked only when a value is a URL). */
  readonly followUrls: () => Promise<boolean>;
}

/** Builds the call parameters from the command line (awscli `_build_call_parameters`), then `--cli-input-json`. */
export async function callParameters(spec: OperationSpec, request: ParameterRequest): Promise<PyObject> {
  const { values, io, paginationOff, followUrls } = request;
  const params = Object.create(null) as PyObject;
  for (const m of spec.members) {
    const raw = values[m.member];
    if (raw === undefined) continue;
    const name = m.flag;
    if (isListTarget(m.target)) {
      let list = raw as string[];
      const files = await Promise.all(list.map((v) => paramFile(v, { param: name, io, followUrls })));
      list = list.map((v, i) => files[i] ?? v);
      if (list.length === 1 && list[0]!.trim().startsWith("[")) params[m.member] = parseJsonParam(list[0]!, name);
      else params[m.member] = list;
      continue;
    }
    const text = (await paramFile(raw as string, { param: name, io, followUrls })) ?? (raw as string);
    if (m.target === "integer" || m.target === "long") {
      const n = /^\s*[-+]?\d+\s*$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) throw new CliError(`invalid literal for int() with base 10: ${pyStrRepr(text)}`);
      params[m.member] = n;
    } else {
      params[m.member] = text;
    }
  }
  if (paginationOff) {
    // The paging options that got past the --no-paginate check (falsy values) still land in the
    // call as PaginationConfig, which botocore's validation then refuses, as with the AWS CLI.
    const config = Object.create(null) as PyObject;
    if (values["starting_token"] !== undefined) config["StartingToken"] = values["starting_token"] as string;
    if (values["page_size"] !== undefined) config["PageSize"] = values["page_size"] as number;
    if (values["max_items"] !== undefined) config["MaxItems"] = values["max_items"] as number;
    if (Object.keys(config).length > 0) params["PaginationConfig"] = config;
  }
  const inputJson = values["cli_input_json"];
  if (typeof inputJson === "string") {
    const text = (await paramFile(inputJson, { param: "cli-input-json", io })) ?? inputJson;
    const data = parseJsonParam(text, "cli-input-json");
    if (!isPyObject(data))
      throw new CliError(`'${Array.isArray(data) ? "list" : typeof data}' object has no attribute 'keys'`);
    for (const key of Object.keys(data)) if (!(key in params)) params[key] = data[key]!;
  }
  return params;
}

function pyStrRepr(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function parseJsonParam(text: string, param: string): PyValue {
  try {
    return parseJson(text);
  } catch (error) {
    const message = error instanceof JsonSyntaxError ? error.message : String(error);
    throw new ParamError(param, `Invalid JSON: ${message}\nJSON received: ${text}`);
  }
}
