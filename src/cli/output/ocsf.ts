/**
 * `--output ocsf` (not in the AWS CLI) of `admin-list-user-auth-events`: one OCSF 1.8 Authentication event per
 * line (NDJSON), streamed as pages arrive, mapped by src/ocsf/ (the README's "OCSF mapping"). The user and the pool
 * come from the call's parameters; the resume token goes to standard error, as with ndjson.
 */

import { shapes } from "../../../generated/schemas.ts";
import type { AuthEventType } from "../../../generated/types.ts";
import { ocsfNdjsonLine } from "../../ocsf/ndjson.ts";
import { CliError } from "../errors.ts";
import { writeTo } from "../io.ts";
import { isPyObject, PyDatetime, type PyValue } from "../pyjson.ts";
import type { OutputFormat } from "./format.ts";
import { itemWriter } from "./items.ts";

/** The one operation whose items are auth events. */
const OPERATION = "AdminListUserAuthEvents";

/** A timestamp as the CLI parsed it (epoch seconds on the wire, ISO 8601 with `--cli-timestamp-format iso8601`). */
function toDate(value: PyValue): Date | undefined {
  if (value instanceof PyDatetime) return new Date(value.iso);
  if (typeof value === "string") return new Date(value);
  if (typeof value === "number" || value instanceof Number) return new Date(Number(value) * 1000);
  return undefined;
}

/** A parsed value of the model's `shape` as the client would have returned it: timestamps as `Date`s. */
function clientValue(value: PyValue, shape: string): unknown {
  if (shape === "timestamp") return toDate(value);
  const info = shapes[shape];
  if (info?.type === "structure" && isPyObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [member, target] of info.members)
      if (value[member] !== undefined && value[member] !== null) out[member] = clientValue(value[member]!, target);
    return out;
  }
  if (info?.type === "list" && Array.isArray(value)) return value.map((item) => clientValue(item, info.member));
  return value instanceof Number ? Number(value) : value;
}

export const ocsfOutput: OutputFormat = {
  name: "ocsf",
  description: "admin-list-user-auth-events only: one OCSF 1.8 Authentication event per line, streamed as pages arrive",
  mergesPages: false,
  open: (context) => {
    if (context.operation !== OPERATION)
      throw new CliError(`--output ocsf: only admin-list-user-auth-events lists auth events`);
    if (context.query)
      throw new CliError("--output ocsf: writes whole events, so it does not take --query (filter its lines instead)");
    const { UserPoolId, Username } = context.parameters;
    if (typeof UserPoolId !== "string" || typeof Username !== "string")
      throw new CliError("--output ocsf: needs --user-pool-id and --username");
    const user = { Username };
    return itemWriter(context, {
      write: async (value) => {
        const items = Array.isArray(value) ? value : [value];
        let text = "";
        for (const item of items) {
          const event = clientValue(item, "AuthEventType") as AuthEventType;
          try {
            text += ocsfNdjsonLine({ user, event }, { userPoolId: UserPoolId });
          } catch (error) {
            throw new CliError(
              `--output ocsf: event ${JSON.stringify(event.EventId ?? null)}: ${(error as Error).message}`,
            );
          }
        }
        await writeTo(context.io.stdout, text);
      },
      finish: async () => {},
    });
  },
};
