/**
 * `cognito-auth-events report`: renders a saved audit (`audit --output ndjson` or `json`) as the HTML security
 * report, or lists every user's last successful sign-in, without calling AWS. The file (or standard input) is read
 * once, as a stream: memory grows with its users and distinct keys, not with its events. Nothing is written unless
 * the whole input was read, so a bad file never replaces a good report. The renderers (and d3) load only when the
 * command runs.
 */
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, isAbsolute, resolve } from "node:path";
import { type OptionSpec, PROG, UsageError } from "../args.ts";
import type { CliCommand } from "../command.ts";
import { CliError } from "../errors.ts";
import type { GlobalValues } from "../globals.ts";
import { type CliIO, writeTo } from "../io.ts";
import { REPORT_FORMATS, type ReportFormat } from "./formats.ts";

const OPTIONS: readonly OptionSpec[] = [
  {
    flag: "--input",
    dest: "input",
    kind: "value",
    required: true,
    metavar: "FILE",
    completes: "file",
    help: "The audit file (what audit --output ndjson or --output json wrote); - reads standard input.",
  },
  {
    flag: "--output",
    dest: "output",
    kind: "value",
    metavar: "FILE",
    completes: "file",
    help: "Where to write (replaced only once the whole input was read); default: standard output.",
  },
  {
    flag: "--format",
    dest: "format",
    kind: "value",
    choices: REPORT_FORMATS,
    metavar: "FORMAT",
    help: "html (the default), last-sign-in (a table), last-sign-in-ndjson, last-sign-in-csv.",
  },
  { flag: "--title", dest: "title", kind: "value", metavar: "TEXT", help: "The HTML report's title." },
  {
    flag: "--top",
    dest: "top",
    kind: "value",
    int: true,
    metavar: "N",
    help: "Rows in each ranking: IP addresses, cities, users (default 10).",
  },
  {
    flag: "--max-rows",
    dest: "max_rows",
    kind: "value",
    int: true,
    metavar: "N",
    help: "Rows in each list of users in the HTML report (default 1000).",
  },
];

/** Formats and output types a file name given to `--output` is probably meant to be. */
const NOT_A_FILE_NAME = new Set<string>([...REPORT_FORMATS, "json", "ndjson", "csv", "text", "table"]);

interface ReportArgs {
  input: string;
  output?: string;
  format: ReportFormat;
  title?: string;
  top?: number;
  maxRows?: number;
}

function positive(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || value < 1) throw new UsageError(`argument ${flag}: expected a positive integer`);
  return value;
}

function readReportArgs(values: GlobalValues): ReportArgs {
  const output = values["output"] as string | undefined;
  if (output !== undefined && NOT_A_FILE_NAME.has(output))
    throw new UsageError(`argument --output: takes a file name (the format is --format ${REPORT_FORMATS.join("|")})`);
  const args: ReportArgs = {
    input: values["input"] as string,
    format: (values["format"] as ReportFormat | undefined) ?? "html",
  };
  if (output !== undefined && output !== "-") args.output = output;
  if (typeof values["title"] === "string") args.title = values["title"];
  const top = positive(values["top"], "--top");
  if (top !== undefined) args.top = top;
  const maxRows = positive(values["max_rows"], "--max-rows");
  if (maxRows !== undefined) args.maxRows = maxRows;
  return args;
}

function fileError(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : (code ?? (error instanceof Error ? error.message : String(error)));
  return `${what}: ${reason}`;
}

/** Reads the audit file into the report's figures. */
async function aggregate(args: ReportArgs, io: CliIO) {
  const { ReportAggregator } = await import("../../report/aggregate.ts");
  const { AuditInputError, readAuditRecords } = await import("../../report/records.ts");
  const aggregator = new ReportAggregator();
  try {
    if (args.input === "-") {
      if (io.stdin === undefined) throw new Error("--input -: no standard input here");
      for await (const record of readAuditRecords(io.stdin())) aggregator.add(record);
    } else {
      const stream = createReadStream(isAbsolute(args.input) ? args.input : resolve(io.cwd, args.input));
      try {
        for await (const record of readAuditRecords(stream)) aggregator.add(record);
      } finally {
        stream.destroy();
      }
    }
  } catch (error) {
    const message =
      error instanceof AuditInputError
        ? `--input ${args.input}: ${error.message}`
        : error instanceof Error && error.message.startsWith("--input")
          ? error.message
          : fileError(error, `--input ${args.input}`);
    throw new CliError(`${PROG} report: ${message}`);
  }
  return aggregator.result();
}

async function runReport(args: ReportArgs, io: CliIO): Promise<number> {
  const data = await aggregate(args, io);
  const { renderReportOutput } = await import("./output.ts");
  const text = await renderReportOutput(args.format, data, {
    ...(args.title !== undefined && { title: args.title }),
    subtitle: `From the audit file ${args.input === "-" ? "read from standard input" : basename(args.input)}`,
    ...(args.top !== undefined && { top: args.top }),
    ...(args.maxRows !== undefined && { maxRows: args.maxRows }),
  });
  if (args.output === undefined) {
    await writeTo(io.stdout, text);
    return 0;
  }
  try {
    await writeFile(isAbsolute(args.output) ? args.output : resolve(io.cwd, args.output), text);
  } catch (error) {
    throw new CliError(`${PROG} report: ${fileError(error, `--output ${args.output}`)}`);
  }
  return 0;
}

export const reportCommand: CliCommand = {
  name: "report",
  summary: "Renders a saved audit as an HTML security report, or lists every user's last sign-in, without calling AWS.",
  description:
    "Renders a saved audit (what audit --output ndjson or --output json wrote) as one self-contained HTML security " +
    "report (inline CSS and SVG charts, no script, no request of any kind), or lists every user's last successful " +
    "sign-in. Calls no AWS API.\n\n" +
    "An audit file holds only users with events: audit --output html and audit --output last-sign-in also list " +
    "the users without any (inactive accounts).",
  usage: "report --input FILE [--output FILE] [options]",
  options: OPTIONS,
  globals: [],
  examples: [
    {
      description: "The report of an audit file (written by audit --output ndjson --output-file audit.ndjson).",
      args: "report --input audit.ndjson --output report.html",
    },
    {
      description: "Every user's last sign-in from it, as CSV.",
      args: "report --input audit.ndjson --format last-sign-in-csv --output last-sign-in.csv",
    },
  ],
  parsing: "strict",
  run: ({ values, io }) => runReport(readReportArgs(values), io),
};
