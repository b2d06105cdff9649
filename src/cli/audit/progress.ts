/**
 * The audit's progress line on a terminal: redrawn in place on standard error (`\r`, erase line) while the audit
 * runs, cleared before anything else reaches the terminal (records on a terminal's standard output, messages on
 * standard error), so that no output lands at the end of it, and never drawn again once the audit has ended.
 */

import type { AuditProgress } from "../../audit/audit.ts";
import { type CliIO, writeTo } from "../io.ts";

const REDRAW_MS = 500;
const ERASE_LINE = "\r\x1b[K";

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** The line: users done of known, events, request rate, throttles, time, and the time left once it can be told. */
export function progressText(p: AuditProgress): string {
  const total = p.usersTotal === undefined ? `${p.usersKnown}+` : String(p.usersTotal);
  const eta = p.etaMs === undefined ? "" : ` · ETA ${duration(p.etaMs)}`;
  const rate = p.requestsPerSecond.toFixed(1);
  return `users ${p.usersDone}/${total} · events ${p.events} · ${rate} req/s · throttled ${p.throttles} · ${duration(p.elapsedMs)}${eta}`;
}

/**
 * The progress line and the streams it shares the terminal with: write through {@link ProgressLine.stdout} and
 * {@link ProgressLine.stderr}, which clear the line first. Writes and redraws go out one at a time, in order.
 * Without a terminal on standard error it draws nothing and the streams are the IO's.
 */
export class ProgressLine {
  readonly #io: CliIO;
  /** The line's text now. */
  readonly #text: () => string;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  #drawn = false;
  #ended = false;
  /** Everything written, in order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(io: CliIO, text: () => string) {
    this.#io = io;
    this.#text = text;
    this.#timer = io.stderrIsTTY === true ? setInterval(() => this.#draw(), REDRAW_MS) : undefined;
  }

  /** Writes to standard output, clearing the line first when standard output is the terminal too. */
  readonly stdout = (text: string): Promise<void> => this.#enqueue(text, "stdout");

  /** Writes to standard error, clearing the line first. */
  readonly stderr = (text: string): Promise<void> => this.#enqueue(text, "stderr");

  /**
   * Ends the line for good: left on the terminal with the final counts (`keep`), or erased. Nothing is drawn after.
   */
  async end(keep: boolean): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#timer === undefined) return this.#queue;
    this.#queue = this.#queue
      .then(async () => {
        const final = keep ? `${ERASE_LINE}${this.#text()}\n` : this.#drawn ? ERASE_LINE : "";
        await writeTo(this.#io.stderr, final);
        this.#drawn = false;
      })
      .catch(() => {});
    return this.#queue;
  }

  #enqueue(text: string, stream: "stdout" | "stderr"): Promise<void> {
    const run = async () => {
      const sharesTerminal = stream === "stderr" || this.#io.isTTY;
      if (this.#drawn && sharesTerminal && text !== "") {
        await writeTo(this.#io.stderr, ERASE_LINE);
        this.#drawn = false;
      }
      await writeTo(this.#io[stream], text);
    };
    const done = this.#queue.then(run);
    // A failed write fails its caller; later writes still go out.
    this.#queue = done.catch(() => {});
    return done;
  }

  #draw(): void {
    this.#queue = this.#queue
      .then(async () => {
        if (this.#ended) return;
        await writeTo(this.#io.stderr, `${ERASE_LINE}${this.#text()}`);
        this.#drawn = true;
      })
      .catch(() => {});
  }
}
