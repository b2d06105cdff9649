/**
 * Where: events and failed events by country (a chart of the leading countries, a table of all) and by city, and the
 * IP addresses with the most failed sign-ins, with the users each failed against.
 */
import { barChart } from "../charts.ts";
import { dataText, html, type Markup } from "../markup.ts";
import { countOf, dataTable, formatCount, formatShare } from "../table.ts";
import type { SectionContext } from "./context.ts";
import { legend } from "./timeline.ts";

/** Countries drawn in the chart (the table lists them all). */
export const CHART_COUNTRIES = 15;

function countries({ data }: SectionContext): Markup {
  const shown = data.countries.slice(0, CHART_COUNTRIES);
  const title =
    data.countries.length > shown.length
      ? `Events by country: the ${shown.length} countries with the most events, failed events first`
      : "Events by country, failed events first";
  const chart =
    shown.length === 0
      ? ""
      : html`<figure>${barChart(
          shown.map((c) => ({
            label: c.country,
            segments: [
              { series: "failed", value: c.failed },
              { series: "passed", value: c.events - c.failed },
            ],
          })),
          { id: "countries-chart", title },
        )}<figcaption>${title}.</figcaption>${legend([
          ["failed", "Failed events"],
          ["passed", "Other events"],
        ])}</figure>`;
  const table = dataTable(data.countries, {
    id: "by-country",
    caption: "Events by country",
    columns: [
      { header: "Country", cell: (c) => dataText(c.country) },
      { header: "Events", cell: (c) => formatCount(c.events), numeric: true },
      { header: "Failed", cell: (c) => formatCount(c.failed), numeric: true },
      { header: "Failed share", cell: (c) => formatShare(c.failed, c.events), numeric: true },
    ],
    scroll: true,
  });
  return html`${chart}${table}`;
}

function cities({ data, top }: SectionContext): Markup {
  return dataTable(data.cities, {
    id: "by-city",
    caption: `The ${countOf(Math.min(top, data.cities.length), "city", "cities")} with the most events`,
    limit: top,
    columns: [
      { header: "Country", cell: (c) => dataText(c.country) },
      { header: "City", cell: (c) => dataText(c.city) },
      { header: "Events", cell: (c) => formatCount(c.events), numeric: true },
      { header: "Failed", cell: (c) => formatCount(c.failed), numeric: true },
    ],
  });
}

function addresses({ data, top }: SectionContext): Markup {
  const shown = data.ips.slice(0, top);
  const title = `The ${countOf(shown.length, "IP address", "IP addresses")} with the most failed sign-ins`;
  const chart =
    shown.length === 0
      ? ""
      : html`<figure>${barChart(
          shown.map((ip) => ({ label: ip.ip, segments: [{ series: "failed", value: ip.failedSignIns }] })),
          { id: "ips-chart", title },
        )}<figcaption>${title}.</figcaption></figure>`;
  const table = dataTable(data.ips, {
    id: "top-ips",
    caption: "IP addresses by failed sign-ins",
    limit: top,
    empty: "No failed sign-in came from a known address.",
    columns: [
      { header: "IP address", cell: (ip) => dataText(ip.ip) },
      { header: "Failed sign-ins", cell: (ip) => formatCount(ip.failedSignIns), numeric: true },
      { header: "Users it failed against", cell: (ip) => formatCount(ip.usersWithFailures), numeric: true },
      { header: "Successful sign-ins from it", cell: (ip) => formatCount(ip.passedSignIns), numeric: true },
    ],
  });
  const unknown = data.signIns.failedWithoutAddress;
  const note =
    unknown > 0 ? html`<p class="note">${formatCount(unknown)} failed sign-ins came without an IP address.</p>` : "";
  return html`${chart}${table}${note}`;
}

/** The "where" section: countries, cities, IP addresses. */
export function whereSection(context: SectionContext): Markup {
  return html`<section id="where"><h2>Where</h2><h3>Countries</h3>${countries(context)}<h3>Cities</h3>${cities(
    context,
  )}<h3>IP addresses</h3>${addresses(context)}</section>`;
}
