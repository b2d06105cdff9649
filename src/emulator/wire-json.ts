/**
 * JSON as the service writes it: numbers can be emitted verbatim (`1.7E9`), because Cognito's
 * timestamps are Java doubles on the wire and clients must read every spelling of them.
 */

import type { EmulatorTimestamp } from "./types.ts";

/** A JSON number literal written as is. */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** A timestamp: its value in epoch seconds and how it is spelled on the wire. */
export interface WireTimestamp {
  readonly seconds: number;
  readonly text: string;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Formats a double the way Java's `Double.toString` does (the service is written in Java):
 * plain decimals in [1e-3, 1e7), computerised scientific notation (`1.7E9`) otherwise.
 */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (value === 0) return "0.0";
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const [mantissa = "", exponent = "0"] = value.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** A timestamp written as the service writes it. */
export function timestampFromSeconds(seconds: number): WireTimestamp {
  return { seconds, text: javaDouble(seconds) };
}

/**
 * Reads a data-file timestamp (see {@link EmulatorTimestamp}). Throws a TypeError naming `path`.
 */
export function parseTimestamp(value: unknown, path: string): WireTimestamp {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: expected a finite number of epoch seconds`);
    return timestampFromSeconds(value);
  }
  if (typeof value === "string") {
    if (JSON_NUMBER.test(value)) return { seconds: Number(value), text: value };
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) {
      throw new TypeError(`${path}: expected epoch seconds or an ISO 8601 date, got ${JSON.stringify(value)}`);
    }
    return timestampFromSeconds(ms / 1000);
  }
  throw new TypeError(`${path}: expected epoch seconds or an ISO 8601 date, got ${typeof value}`);
}

/** The data-file form of a timestamp that reads back identically. */
export function timestampToData(ts: WireTimestamp): EmulatorTimestamp {
  return ts.text === javaDouble(ts.seconds) ? ts.seconds : ts.text;
}

/** JSON.stringify with {@link RawNumber} support; `undefined` members are left out. */
export function writeJson(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((item) => writeJson(item ?? null)).join(",")}]`;
  if (typeof value === "object") {
    const members: string[] = [];
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${writeJson(member)}`);
    }
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}
