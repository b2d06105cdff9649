/**
 * The report's two kinds of chart, drawn as inline SVG when the report is rendered (no script runs in the reader's
 * browser): horizontal stacked bars (countries, addresses, recency, feedback) and a timeline of stacked columns with
 * a step line. Scales, ticks and stacking are d3's (d3-scale, d3-shape); colours come from CSS classes, so the style
 * sheet (and its dark variant) decides them and no inline style is needed.
 *
 * Web-standard globals only.
 */
import { max, sum } from "d3-array";
import { scaleBand, scaleLinear, scaleUtc } from "d3-scale";
import { curveStepAfter, line, stack } from "d3-shape";
import { html, type Markup, svgText, truncate } from "./markup.ts";
import { formatCount } from "./table.ts";

const WIDTH = 920;
const LABEL_CHARS = 28;

/** One segment of a bar: its CSS class (its colour) and its value. */
export interface Segment {
  series: string;
  value: number;
}

/** One bar of {@link barChart}. */
export interface Bar {
  label: string;
  segments: readonly Segment[];
}

/** Common options of the charts. */
export interface ChartOptions {
  /** The element id the chart's `<title>` gets (a constant of the report, never data). */
  id: string;
  /** The accessible name: what the chart shows. */
  title: string;
}

/** The vertical room of one bar in {@link barChart}. */
const BAR_STEP = 26;

const total = (segments: readonly Segment[]): number => sum(segments, (segment) => segment.value);

function svg(options: ChartOptions, height: number, body: Markup | Markup[]): Markup {
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${options.id}-title"><title id="${options.id}-title">${options.title}</title>${body}</svg>`;
}

/** Rounds SVG coordinates: a tenth of a pixel is plenty, and the file stays small. */
const px = (value: number): number => Math.round(value * 10) / 10;

/**
 * Horizontal bars, one per row, each made of stacked segments, with its label on the left and its total on the
 * right.
 * @example barChart([{ label: "Brazil", segments: [{ series: "failed", value: 3 }, { series: "passed", value: 9 }] }], { id: "countries", title: "Events by country" })
 */
export function barChart(bars: readonly Bar[], options: ChartOptions): Markup {
  const margin = { top: 8, right: 70, bottom: 8, left: 230 };
  const height = margin.top + margin.bottom + bars.length * BAR_STEP;
  const y = scaleBand<number>()
    .domain(bars.map((_, i) => i))
    .range([margin.top, height - margin.bottom])
    .padding(0.2);
  const x = scaleLinear()
    .domain([0, max(bars, (bar) => total(bar.segments)) || 1])
    .range([margin.left, WIDTH - margin.right]);
  const rows = bars.map((bar, i) => {
    const top = px(y(i)!);
    const middle = px(top + y.bandwidth() / 2);
    let offset = 0;
    const rects = bar.segments.map((segment) => {
      const from = x(offset);
      offset += segment.value;
      const width = px(x(offset) - from);
      return width > 0
        ? html`<rect class="s-${segment.series}" x="${px(from)}" y="${top}" width="${width}" height="${px(y.bandwidth())}"/>`
        : html``;
    });
    return html`<g><text class="label" x="${margin.left - 8}" y="${middle}" dy="0.35em" text-anchor="end">${svgText(truncate(bar.label, LABEL_CHARS))}</text>${rects}<text class="value" x="${px(x(offset)) + 6}" y="${middle}" dy="0.35em">${formatCount(offset)}</text></g>`;
  });
  return svg(options, height, rows);
}

/** One column of {@link timelineChart}: a time interval and its stacked values. */
export interface TimelineColumn {
  start: Date;
  end: Date;
  values: Readonly<Record<string, number>>;
  /** The step line's value over this interval. */
  line: number;
}

/**
 * Stacked columns over a UTC time axis, with a step line on top (the failures), gridlines and ticks from d3's
 * scales.
 * @example timelineChart(columns, { id: "timeline", title: "Events per day", series: ["NoRisk", "Block"], lineSeries: "failed" })
 */
export function timelineChart(
  columns: readonly TimelineColumn[],
  options: ChartOptions & {
    /** The stacked series, bottom first (each is a CSS class `s-NAME`). */
    series: readonly string[];
    /** The step line's CSS class (`s-NAME`). */
    lineSeries: string;
  },
): Markup {
  const height = 280;
  const margin = { top: 12, right: 16, bottom: 28, left: 56 };
  const first = columns[0];
  const last = columns.at(-1);
  if (first === undefined || last === undefined) return svg(options, height, []);
  const x = scaleUtc()
    .domain([first.start, last.end])
    .range([margin.left, WIDTH - margin.right]);
  const stacked = stack<TimelineColumn, string>()
    .keys(options.series)
    .value((column, key) => column.values[key] ?? 0)(columns);
  const top = max(columns, (column) => Math.max(sum(Object.values(column.values)), column.line)) || 1;
  const y = scaleLinear()
    .domain([0, top])
    .nice(5)
    .range([height - margin.bottom, margin.top]);
  const grid = y
    .ticks(5)
    .map(
      (tick) =>
        html`<g><line class="grid" x1="${margin.left}" x2="${WIDTH - margin.right}" y1="${px(y(tick))}" y2="${px(y(tick))}"/><text class="tick" x="${margin.left - 6}" y="${px(y(tick))}" dy="0.35em" text-anchor="end">${formatCount(tick)}</text></g>`,
    );
  const format = x.tickFormat();
  const xTicks = x
    .ticks(8)
    .map(
      (tick) =>
        html`<text class="tick" x="${px(x(tick))}" y="${height - margin.bottom + 16}" text-anchor="middle">${format(tick)}</text>`,
    );
  const layers = stacked.map(
    (layer) =>
      html`<g class="s-${layer.key}">${layer.map((point) => {
        const [low, high] = point;
        const left = x(point.data.start);
        const width = Math.max(0.5, x(point.data.end) - left - (columns.length > 200 ? 0 : 1));
        return high > low
          ? html`<rect x="${px(left)}" y="${px(y(high))}" width="${px(width)}" height="${px(y(low) - y(high))}"/>`
          : html``;
      })}</g>`,
  );
  const steps = [...columns.map((c) => ({ time: c.start, value: c.line })), { time: last.end, value: last.line }];
  const path =
    line<{ time: Date; value: number }>()
      .x((point) => px(x(point.time)))
      .y((point) => px(y(point.value)))
      .curve(curveStepAfter)(steps) ?? "";
  const axis = html`<line class="axis" x1="${margin.left}" x2="${WIDTH - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}"/>`;
  return svg(options, height, [
    ...grid,
    ...layers,
    html`<path class="s-${options.lineSeries}" d="${path}"/>`,
    axis,
    ...xTicks,
  ]);
}
