/**
 * What every benchmarked client implements: list one user's auth events, page by page, without keeping them.
 * Each contender lives in its own module so that a process (cold start, memory) loads only that contender.
 */

/** Where and as whom to list. */
export interface ListerConfig {
  /** The emulator's URL, e.g. `http://127.0.0.1:4566`. */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  userPoolId: string;
}

/** What one listing saw. */
export interface ListResult {
  pages: number;
  events: number;
}

/** Lists a user's events, 60 per page; stops after `maxPages` pages when given. */
export type Lister = (username: string, maxPages?: number) => Promise<ListResult>;

/** A contender: builds its client once, then lists. */
export type CreateLister = (config: ListerConfig) => Lister;

/**
 * The listing loop every paginator-based contender shares: counts pages and events without keeping them, stopping
 * after `maxPages`. (A function, bundled into each contender's process; the counting is not what is measured.)
 */
export async function countPages(
  pages: AsyncIterable<{ AuthEvents?: readonly unknown[] }>,
  maxPages = Infinity,
): Promise<ListResult> {
  let count = 0;
  let events = 0;
  for await (const page of pages) {
    count++;
    events += page.AuthEvents?.length ?? 0;
    if (count >= maxPages) break;
  }
  return { pages: count, events };
}
