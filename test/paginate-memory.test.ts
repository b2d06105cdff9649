/**
 * Memory stays flat however many pages a listing has: however far a listing goes, the paginators keep a
 * bounded number of pages alive (the one in hand, the read-ahead, and at most one more), in every view (pages, items,
 * maxItems, read-ahead) and in the lite entry. Checked with WeakRefs and forced garbage collections, so the test does
 * not depend on timing or heap noise; bench/ measures the resulting peak RSS.
 *
 * The bound is 3, not "only the page in hand": V8 keeps one extra, already-consumed page alive in some states (the
 * previous page on the last one; the page in hand when the consumer awaited a timer), which does not grow.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createPaginator } from "../src/paginate.ts";
import { createPaginator as createLitePaginator } from "../src/lite/paginate.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const SPEC = {
  inputToken: "NextToken",
  outputToken: "NextToken",
  items: "AuthEvents",
  pageSize: "MaxResults",
} as const;
const PAGES = 40;

/** A client whose pages are fresh objects (60 events each) that nothing but the paginator and the test's WeakRefs see. */
function client(pagesMade: WeakRef<object>[], itemsMade: WeakRef<object>[]) {
  return {
    async send(command: { input: object }) {
      const token = (command.input as { NextToken?: string }).NextToken;
      const n = token === undefined ? 0 : Number(token.slice(1));
      const AuthEvents = Array.from({ length: 60 }, (_, i) => ({ EventId: `${n}-${i}`, padding: "x".repeat(200) }));
      const page = { AuthEvents, NextToken: n + 1 < PAGES ? `t${n + 1}` : undefined };
      pagesMade.push(new WeakRef(page));
      itemsMade.push(new WeakRef(AuthEvents[0]!));
      return page;
    },
  };
}

/** Lets the current job end (WeakRef targets are kept until then), then collects garbage. */
async function collect(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  gc();
}

/** How many of the tracked objects are still alive. */
const alive = (refs: WeakRef<object>[]) => refs.filter((r) => r.deref() !== undefined).length;

/** Pages (or first items) a paginator may keep alive at once: the page in hand, the read-ahead, one more. */
const BOUND = 3;

const paginate = createPaginator(SPEC, (input) => ({ input }));
const paginateLite = createLitePaginator(SPEC, (input) => ({ input }));

describe("paginators keep no page the consumer has moved past", () => {
  const views = {
    pages: (c: ReturnType<typeof client>) => paginate({ client: c, pageSize: 60 }, {}),
    "pages with maxItems": (c: ReturnType<typeof client>) =>
      paginate({ client: c, pageSize: 60, maxItems: 60 * PAGES - 30 }, {}),
    "pages with a read-ahead": (c: ReturnType<typeof client>) => paginate({ client: c, pageSize: 60, prefetch: 1 }, {}),
    "the lite entry's pages": (c: ReturnType<typeof client>) => paginateLite({ client: c, pageSize: 60 }, {}),
  };

  it.each(Object.keys(views) as (keyof typeof views)[])("%s", async (view) => {
    const pagesMade: WeakRef<object>[] = [];
    const itemsMade: WeakRef<object>[] = [];
    let seen = 0;
    for await (const _page of views[view](client(pagesMade, itemsMade))) {
      seen++;
      if (seen % 10 === 0) {
        await collect();
        expect(alive(pagesMade), `pages alive after ${seen}`).toBeLessThanOrEqual(BOUND);
        expect(alive(itemsMade), `items alive after ${seen}`).toBeLessThanOrEqual(BOUND);
      }
    }
    expect(seen).toBe(PAGES);
  });

  it("the items view, one item at a time", async () => {
    const pagesMade: WeakRef<object>[] = [];
    const itemsMade: WeakRef<object>[] = [];
    let seen = 0;
    for await (const _item of paginate.items({ client: client(pagesMade, itemsMade), pageSize: 60 }, {})) {
      if (++seen % 600 === 0) {
        await collect();
        expect(alive(pagesMade), `pages alive after ${seen} items`).toBeLessThanOrEqual(BOUND);
        expect(alive(itemsMade), `items alive after ${seen} items`).toBeLessThanOrEqual(BOUND);
      }
    }
    expect(seen).toBe(60 * PAGES);
  });

  it("the check itself sees a page that is kept", async () => {
    const pagesMade: WeakRef<object>[] = [];
    const kept: object[] = [];
    for await (const page of paginate({ client: client(pagesMade, []), pageSize: 60 }, {})) kept.push(page);
    await collect();
    expect(alive(pagesMade)).toBe(PAGES);
    expect(kept).toHaveLength(PAGES);
  });
});
