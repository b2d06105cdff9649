/**
 * What the item-per-row formats (ndjson, csv: not in the AWS CLI) share: a listing's items become rows as pages
 * arrive, standard output holds nothing but the rows, and the resume token goes to standard error.
 */

import { terminalText } from "../../terminal-text.ts";
import { writeTo } from "../io.ts";
import type { PyObject, PyValue } from "../pyjson.ts";
import type { OutputContext, OutputWriter } from "./format.ts";

/** Where the rows go: a list writes one row per element, anything else one row. */
export interface RowSink {
  write(value: PyValue): Promise<void>;
  /** After the last row (an empty CSV still gets its header). */
  finish(): Promise<void>;
}

function items(value: PyObject, resultKey: string): PyValue[] {
  const list = value[resultKey];
  return Array.isArray(list) ? list : [];
}

/**
 * The writer of an item-per-row format: without `--query` a listing's items (a page at a time), with it whatever
 * the query picks from each page.
 */
export function itemWriter(context: OutputContext, rows: RowSink): OutputWriter {
  const { query, listing, io } = context;
  const resumeOnStderr = async (token: PyValue | undefined) => {
    // The service's token, on the stream a person reads: nothing in it may reach the terminal raw.
    if (typeof token === "string" && token !== "") await writeTo(io.stderr, `NextToken: ${terminalText(token)}\n`);
  };
  return {
    async response(value) {
      if (query) await rows.write(query.search(value));
      else if (listing) {
        await rows.write(items(value, listing.resultKey));
        await resumeOnStderr(value[listing.outputToken]);
      } else await rows.write(Object.keys(value).length === 0 ? [] : value);
      await rows.finish();
    },
    async page(page) {
      await rows.write(query ? query.search(page) : listing ? items(page, listing.resultKey) : []);
    },
    async end(resumeToken) {
      await rows.finish();
      await resumeOnStderr(resumeToken);
    },
  };
}
