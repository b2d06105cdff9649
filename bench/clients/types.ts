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
