/**
 * `cognito-auth-events report`: renders a saved audit (`audit --output ndjson` or `json`) as the HTML security
 * report, or lists every user's last successful sign-in, without calling AWS. The file is read once, as a stream:
 * memory grows with its users and distinct keys, not with its events. Nothing is written unless the whole input
 * was read, so a bad file never replaces a good report.
 */
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, isAbsolute, resolve } from "node:path";
import { ReportAggregator } from "../report/aggregate.ts";
import { AuditInputError, readAuditRecords } from "../report/records.ts";
import { DEFAULT_TITLE } from "../report/render.ts";
import { type OptionSpec, PROG, parseKnownArgs, UsageError } from "./args.ts";
import type { CliIO } from "./io.ts";
import { REPORT_FORMATS, type ReportFormat } from "./report-formats.ts";
import { renderReportOutput } from "./report-output.ts";

const REPORT_USAGE = `usage: ${PROG} report --input FILE [--output FILE] [options]

Renders a saved audit (what \`audit --output ndjson\` or \`--output json\` wrote) as one self-contained HTML
security report (inline CSS and SVG charts, no script, no request of any kind), or lists every user's last
successful sign-in. Calls no AWS API.

  --input FILE        the audit file (required); - reads standard input (whole, before rendering)
  --output FILE       where to write (replaced only once the whole input was read); default: standard output
  --format FORMAT     html (default), last-sign-in (a table), last-sign-in-ndjson, last-sign-in-csv
  --title TEXT        the HTML report's title (default: ${DEFAULT_TITLE})
  --top N             rows in each ranking: IP addresses, cities, users (default 10)
  --max-rows N        rows in each list of users in the HTML report (default 1000)

An audit file holds only users with events: \`audit --output html\` and \`audit --output last-sign-in\` also list
the users without any (inactive accounts).

Example:
  ${PROG} audit --user-pool-id us-east-1_demoPlus --output ndjson --output-file audit.ndjson
  ${PROG} report --input audit.ndjson --output report.html
`;

const OPTIONS: readonly OptionSpec[] = [
  { flag: "--input", dest: "input", kind: "value", required: true },
  { flag: "--output", dest: "output", kind: "value" },
  { flag: "--format", dest: "format", kind: "value", choices: REPORT_FORMATS },
  { flag: "--title", dest: "title", kind: "value" },
  { flag: "--top", dest: "top", kind: "value", int: true },
  { flag: "--max-rows", dest: "max_rows", kind: "value", int: true },
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

class ReportUsageError extends Error {}

function positive(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || value < 1)
    throw new ReportUsageError(`argument ${flag}: expected a positive integer`);
  return value;
}

function parseReportArgs(argv: readonly string[]): ReportArgs | "help" {
  if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return "help";
  let parsed: ReturnType<typeof parseKnownArgs>;
  try {
    parsed = parseKnownArgs(argv, OPTIONS);
  } catch (error) {
    if (error instanceof UsageError) throw new ReportUsageError(error.message);
    throw error;
  }
  if (parsed.extras.length > 0) throw new ReportUsageError(`unrecognized arguments: ${parsed.extras.join(" ")}`);
  const v = parsed.values;
  const output = v["output"] as string | undefined;
  if (output !== undefined && NOT_A_FILE_NAME.has(output))
    throw new ReportUsageError(
      `argument --output: takes a file name (the format is --format ${REPORT_FORMATS.join("|")})`,
    );
  const args: ReportArgs = { input: v["input"] as string, format: (v["format"] as ReportFormat | undefined) ?? "html" };
  if (output !== undefined && output !== "-") args.output = output;
  if (typeof v["title"] === "string") args.title = v["title"];
  const top = positive(v["top"], "--top");
  if (top !== undefined) args.top = top;
  const maxRows = positive(v["max_rows"], "--max-rows");
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

/**
 * Runs `report` with the arguments after the command name.
 * @returns the exit status: 0 done, 2 bad arguments, 255 the input or output failed
 */
export async function runReport(argv: string[], io: CliIO): Promise<number> {
  let args: ReportArgs | "help";
  try {
    args = parseReportArgs(argv);
  } catch (error) {
    if (!(error instanceof ReportUsageError)) throw error;
    await io.stderr(`${REPORT_USAGE}\n${PROG} report: error: ${error.message}\n`);
    return 2;
  }
  if (args === "help") {
    await io.stdout(REPORT_USAGE);
    return 0;
  }
  const path = (file: string) => (isAbsolute(file) ? file : resolve(io.cwd, file));
  const aggregator = new ReportAggregator();
  try {
    if (args.input === "-") {
      if (io.stdin === undefined) throw new Error("--input -: no standard input here");
      for await (const record of readAuditRecords([await io.stdin()])) aggregator.add(record);
    } else {
      const stream = createReadStream(path(args.input));
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
    await io.stderr(`\n${PROG} report: ${message}\n`);
    return 255;
  }
  const text = await renderReportOutput(args.format, aggregator.result(), {
    ...(args.title !== undefined && { title: args.title }),
    subtitle: `From the audit file ${args.input === "-" ? "read from standard input" : basename(args.input)}`,
    ...(args.top !== undefined && { top: args.top }),
    ...(args.maxRows !== undefined && { maxRows: args.maxRows }),
  });
  if (args.output === undefined) {
    await io.stdout(text);
    return 0;
  }
  try {
    await writeFile(path(args.output), text);
  } catch (error) {
    await io.stderr(`\n${PROG} report: ${fileError(error, `--output ${args.output}`)}\n`);
    return 255;
  }
  return 0;
}
