/**
 * The `feedback` command's arguments, checked (usage errors name the option) and its files resolved against the
 * working directory.
 */
import { isAbsolute, resolve } from "node:path";
import { UsageError } from "../args.ts";
import type { GlobalValues } from "../globals.ts";
import type { FeedbackIdentity } from "./files.ts";

/** The command line, checked. */
export interface FeedbackArgs {
  identity: FeedbackIdentity;
  /** Absolute. */
  checkpoint?: string;
  /** As given, for messages. */
  checkpointName?: string;
  /** `--input` as given, for messages. */
  inputName: string;
  /** `--errors` as given (or its default), for messages. */
  errorsName: string;
  dryRun: boolean;
  maxRps?: number;
  concurrency?: number;
  json: boolean;
  global: GlobalValues;
}

/** Reads the parsed command line; relative paths are taken from `cwd`. */
export function readFeedbackArgs(values: GlobalValues, cwd: string): FeedbackArgs {
  const value = String(values["value"]).toLowerCase();
  if (value !== "valid" && value !== "invalid")
    throw new UsageError(`argument --value: expected Valid or Invalid, got '${String(values["value"])}'`);
  const path = (file: string) => (isAbsolute(file) ? file : resolve(cwd, file));
  const inputName = String(values["input"]);
  const errorsName = typeof values["errors"] === "string" ? values["errors"] : `${inputName}.errors.ndjson`;
  const identity: FeedbackIdentity = {
    userPoolId: String(values["user_pool_id"]),
    value: value === "valid" ? "Valid" : "Invalid",
    input: path(inputName),
    errors: path(errorsName),
  };
  if (typeof values["username"] === "string") identity.username = values["username"];
  const args: FeedbackArgs = {
    identity,
    inputName,
    errorsName,
    dryRun: values["dry_run"] === true,
    json: values["output"] === "json",
    global: values,
  };
  const checkpoint = values["checkpoint"];
  if (typeof checkpoint === "string") {
    if (args.dryRun) throw new UsageError("argument --checkpoint: not with --dry-run (a dry run changes nothing)");
    args.checkpoint = path(checkpoint);
    args.checkpointName = checkpoint;
  }
  if (values["max_rps"] !== undefined) {
    const rps = Number(values["max_rps"]);
    if (!Number.isFinite(rps) || rps <= 0)
      throw new UsageError(`argument --max-rps: expected a positive number, got '${String(values["max_rps"])}'`);
    args.maxRps = rps;
  }
  if (values["concurrency"] !== undefined) {
    const concurrency = values["concurrency"] as number;
    if (concurrency < 1 || concurrency > 64)
      throw new UsageError(`argument --concurrency: expected 1 to 64, got ${concurrency}`);
    args.concurrency = concurrency;
  }
  return args;
}
