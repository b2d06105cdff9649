/**
 * The timeline: events per hour, day, week or month (whichever keeps the columns countable for the period), stacked
 * by risk decision, with the failed events as a line; and the table behind it.
 */
import { type CountableTimeInterval, utcDay, utcHour, utcMonday, utcMonth } from "d3-time";
import { TIMELINE_SERIES, type TimelineHour, type TimelineSeries } from "../data.ts";
import { type TimelineColumn, timelineChart } from "../charts.ts";
import { html, type Markup } from "../markup.ts";
import { dataTable, formatCount, formatTime } from "../table.ts";
import type { SectionContext } from "./context.ts";

/** The most columns a timeline gets: past it, the next longer unit. */
export const MAX_COLUMNS = 400;

interface Unit {
  name: string;
  interval: CountableTimeInterval;
  /** How a column's start is written in the table. */
  label: (start: Date) => string;
}

const UNITS: readonly Unit[] = [
  { name: "hour", interval: utcHour, label: (d) => formatTime(d) },
  { name: "day", interval: utcDay, label: (d) => d.toISOString().slice(0, 10) },
  { name: "week", interval: utcMonday, label: (d) => `week of ${d.toISOString().slice(0, 10)}` },
  { name: "month", interval: utcMonth, label: (d) => d.toISOString().slice(0, 7) },
];

/** How the legend and the table name each series. */
export const SERIES_NAMES: Readonly<Record<TimelineSeries, string>> = {
  NoRisk: "NoRisk",
  AccountTakeover: "AccountTakeover",
  Block: "Block",
  other: "No risk decision",
};

/** A bucket of the timeline: a unit's interval and what happened in it. */
export interface TimelineBucket extends TimelineColumn {
  values: Record<TimelineSeries, number>;
}

/**
 * Groups the hours into the shortest unit that needs at most {@link MAX_COLUMNS} columns, empty ones included, over
 * the audit's window when it has one (an empty stretch of the window is worth seeing), else over the events.
 */
export function timelineBuckets(
  hours: readonly TimelineHour[],
  window: { since?: Date; until?: Date } = {},
): { unit: Unit; buckets: TimelineBucket[] } {
  const first = hours[0]?.start;
  const last = hours.at(-1)?.start;
  if (first === undefined || last === undefined) return { unit: UNITS[1]!, buckets: [] };
  const from = new Date(Math.min(first, window.since?.getTime() ?? first));
  // The window's end is exclusive: its last moment is a millisecond before.
  const to = new Date(Math.max(last, (window.until?.getTime() ?? last + 1) - 1));
  const unit = UNITS.find((u) => u.interval.count(u.interval.floor(from), to) < MAX_COLUMNS) ?? UNITS.at(-1)!;
  const buckets = new Map<number, TimelineBucket>();
  for (const start of unit.interval.range(
    unit.interval.floor(from),
    unit.interval.offset(unit.interval.floor(to), 1),
  )) {
    buckets.set(start.getTime(), {
      start,
      end: unit.interval.offset(start, 1),
      values: { NoRisk: 0, AccountTakeover: 0, Block: 0, other: 0 },
      line: 0,
    });
  }
  for (const hour of hours) {
    const bucket = buckets.get(unit.interval.floor(new Date(hour.start)).getTime())!;
    for (const series of TIMELINE_SERIES) bucket.values[series] += hour.counts[series];
    bucket.line += hour.failed;
  }
  return { unit, buckets: [...buckets.values()] };
}

/** A legend: one swatch (the series' CSS class) and name per item. */
export function legend(items: ReadonlyArray<[series: string, text: string]>): Markup {
  return html`<ul class="legend">${items.map(
    ([series, text]) => html`<li><span class="swatch s-${series}"></span>${text}</li>`,
  )}</ul>`;
}

/** The timeline section: the chart, its legend, and its table (folded). */
export function timelineSection({ data }: SectionContext): Markup {
  const { unit, buckets } = timelineBuckets(data.timeline, data.window);
  const title = `Events per ${unit.name} (UTC), stacked by risk decision; the line counts failed events`;
  const chart =
    buckets.length === 0
      ? html`<p class="empty">No dated events.</p>`
      : html`<figure>${timelineChart(buckets, {
          id: "timeline-chart",
          title,
          series: TIMELINE_SERIES,
          lineSeries: "failedline",
        })}<figcaption>${title}.</figcaption>${legend([
          ...TIMELINE_SERIES.map((s): [string, string] => [s, SERIES_NAMES[s]]),
          ["failedline", "Failed events"],
        ])}</figure>`;
  const rows = buckets.filter((b) => b.line > 0 || TIMELINE_SERIES.some((s) => b.values[s] > 0));
  const table = dataTable(rows, {
    id: "timeline",
    caption: `Events per ${unit.name}`,
    columns: [
      { header: unit.name[0]!.toUpperCase() + unit.name.slice(1), cell: (b) => unit.label(b.start) },
      ...TIMELINE_SERIES.map((series) => ({
        header: SERIES_NAMES[series],
        cell: (b: TimelineBucket) => formatCount(b.values[series]),
        numeric: true,
      })),
      {
        header: "Total",
        cell: (b) => formatCount(TIMELINE_SERIES.reduce((n, s) => n + b.values[s], 0)),
        numeric: true,
      },
      { header: "Failed", cell: (b) => formatCount(b.line), numeric: true },
    ],
    scroll: true,
  });
  return html`<section id="timeline"><h2>Timeline</h2>${chart}<details><summary>The numbers behind the timeline (${formatCount(
    rows.length,
  )} ${unit.name}s with events)</summary>${table}</details></section>`;
}
