/**
 * What an `audit --output` format is: one file per format, listed in formats.ts. A format turns the audit's records
 * into text as they stream past, with text before the first and after the last; the run writes that text in chunks
 * and records in its checkpoint how much was written, so that an interrupted audit resumes exactly.
 */

import type { AuditRecord } from "../../../audit/audit.ts";
import type { AuditUser } from "../../../audit/checkpoint.ts";
import type { AuditSummaryReport } from "../../../audit/summary.ts";
import { terminalJson } from "../../../terminal-text.ts";

/** What a format is told when it opens. */
export interface AuditOutputContext {
  readonly userPoolId: string;
  /** The audit's window, fixed when it started. */
  readonly window: { readonly since?: Date; readonly until?: Date };
  /** `--top`: how many entries each list of a summary keeps. */
  readonly top: number;
  /**
   * What {@link AuditOutputWriter.state} returned when the checkpoint this run resumes from was saved; `undefined`
   * for a new audit.
   */
  readonly saved: unknown;
  /**
   * The output goes to a terminal: service data is written as a terminal may show it (JSON with the characters
   * src/terminal-text.ts escapes as `\uXXXX` escapes, CSV cells through its rule).
   */
  readonly terminal: boolean;
}

/** The end of an audit, for the text after the last record. */
export interface AuditEnd {
  /** Records written, over every run of this audit. */
  readonly records: number;
  /** The summary of every event of the audit, each list cut to `--top` entries. */
  readonly summary: AuditSummaryReport;
}

/** Writes one audit's output. */
export interface AuditOutputWriter {
  /** Text before the first record (written once: not again when the audit resumes). */
  start(): string;
  /** The text of one record; `index` counts the records of the whole audit, from 0. */
  record(record: AuditRecord, index: number): string;
  /** Text after the last record. */
  end(end: AuditEnd): string | Promise<string>;
  /**
   * Called for every user this run finished reading, users without events included (the audit's `onUserDone`).
   */
  userDone?(user: AuditUser, events: number): void;
  /** The format's own state to save in the checkpoint (plain JSON), handed back as `saved` on resume. */
  state?(): unknown;
}

/** An `audit --output` format. */
export interface AuditOutputFormat {
  /** The `--output` value. */
  readonly name: string;
  /** One line for help pages and completion. */
  readonly description: string;
  /**
   * `true` for a report: nothing per record, everything at the end (so running a complete audit again prints it
   * again, from the checkpoint).
   */
  readonly report: boolean;
  /**
   * Why the format cannot resume from a checkpoint, when it cannot (then `--checkpoint` is refused with this
   * sentence); `undefined`: it resumes.
   */
  readonly notResumable?: string;
  open(context: AuditOutputContext): AuditOutputWriter | Promise<AuditOutputWriter>;
}

/**
 * How a JSON format writes its text: on a terminal, with `\uXXXX` escapes for what a terminal would act on
 * (src/terminal-text.ts); as it is otherwise.
 * @example const shown = jsonFor(context.terminal); shown(JSON.stringify(value))
 */
export function jsonFor(terminal: boolean): (json: string) => string {
  return terminal ? terminalJson : (json) => json;
}
