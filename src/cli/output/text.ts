/**
 * `--output text`: the AWS CLI v1's (awscli/text.py), byte for byte: a listing page by page, each page's rows with
 * the union of its items' scalar keys, sorted. On a terminal, the service's control characters are shown escaped
 * (terminal.ts).
 */

import { writeTo } from "../io.ts";
import { isPyObject, type PyObject, pyCompare, type PyValue, pyStr } from "../pyjson.ts";
import { type OutputFormat, select } from "./format.ts";
import { shownOn } from "./terminal.ts";

export const textOutput: OutputFormat = {
  name: "text",
  description: "tab-separated lines as the AWS CLI prints them, per page",
  mergesPages: false,
  open: (context) => ({
    response: (value) => writeTo(context.io.stdout, formatText(shownOn(context, select(context, value)))),
    page: (page) => writeTo(context.io.stdout, formatText(shownOn(context, select(context, page)))),
    async end(resumeToken) {
      if (resumeToken === undefined) return;
      const tokenView = Object.create(null) as PyObject;
      tokenView["NextToken"] = Object.assign(Object.create(null) as PyObject, { NextToken: resumeToken });
      await writeTo(context.io.stdout, formatText(shownOn(context, select(context, tokenView))));
    },
  }),
};

const isContainer = (value: PyValue | undefined): boolean => Array.isArray(value) || isPyObject(value);

/** `--output text` for one value (awscli/text.py `format_text`). */
export function formatText(value: PyValue): string {
  const out: string[] = [];
  formatTextItem(value, out, undefined, undefined);
  return out.join("");
}

function formatTextItem(
  item: PyValue | undefined,
  out: string[],
  identifier: string | undefined,
  scalarKeys: string[] | undefined,
): void {
  if (isPyObject(item)) formatDict(scalarKeys, item, identifier, out);
  else if (Array.isArray(item)) formatList(item, identifier, out);
  else out.push(`${pyStr(item)}\n`);
}

function formatList(item: PyValue[], identifier: string | undefined, out: string[]): void {
  if (item.length === 0) return;
  if (item.some(isPyObject)) {
    const allKeys = allScalarKeys(item);
    for (const element of item) formatTextItem(element, out, identifier, allKeys);
  } else if (item.some(Array.isArray)) {
    const scalars = item.filter((el) => !isContainer(el));
    const nonScalars = item.filter(isContainer);
    if (scalars.length > 0) formatScalarList(scalars, identifier, out);
    for (const element of nonScalars) formatTextItem(element, out, identifier, undefined);
  } else {
    formatScalarList(item, identifier, out);
  }
}

function formatScalarList(elements: PyValue[], identifier: string | undefined, out: string[]): void {
  if (identifier !== undefined) {
    for (const element of elements) out.push(`${identifier.toUpperCase()}\t${pyStr(element)}\n`);
  } else {
    out.push(`${elements.map(pyStr).join("\t")}\n`);
  }
}

function formatDict(
  scalarKeys: string[] | undefined,
  item: PyObject,
  identifier: string | undefined,
  out: string[],
): void {
  const scalars: string[] = [];
  const nonScalars: [string, PyValue][] = [];
  if (scalarKeys === undefined) {
    for (const key of Object.keys(item).sort(pyCompare)) {
      const value = item[key]!;
      if (isContainer(value)) nonScalars.push([key, value]);
      else scalars.push(pyStr(value));
    }
  } else {
    for (const key of scalarKeys) scalars.push(key in item ? pyStr(item[key]) : "");
    const scalarSet = new Set(scalarKeys);
    for (const key of Object.keys(item)
      .filter((k) => !scalarSet.has(k))
      .sort(pyCompare))
      nonScalars.push([key, item[key]!]);
  }
  if (scalars.length > 0) {
    if (identifier !== undefined) scalars.unshift(identifier.toUpperCase());
    out.push(`${scalars.join("\t")}\n`);
  }
  for (const [key, value] of nonScalars) formatTextItem(value, out, key, undefined);
}

function allScalarKeys(list: PyValue[]): string[] {
  const keys = new Set<string>();
  for (const element of list) {
    if (!isPyObject(element)) continue;
    for (const key of Object.keys(element)) if (!isContainer(element[key])) keys.add(key);
  }
  return [...keys].sort(pyCompare);
}
