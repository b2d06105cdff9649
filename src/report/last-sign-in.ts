/**
 * The last successful sign-in (`EventType: SignIn`, `EventResponse: Pass`) of every user, and the users with none in
 * the period: the inactive accounts, which Cognito has no call for. Rows for the report's table and for
 * `audit --output last-sign-in` (the CLI writes them as a table, NDJSON or CSV).
 *
 * Web-standard globals only.
 */
import type { ReportData } from "./data.ts";

/** One user's row. Members absent from the user's last sign-in are `null`, so every row has every key. */
export interface LastSignInRow {
  Username: string;
  sub: string | null;
  /** ISO 8601; `null`: no successful sign-in in the period. */
  LastSignIn: string | null;
  /** Whole days from the last sign-in to the period's end (see {@link ReportData.periodEnd}). */
  DaysBeforePeriodEnd: number | null;
  IpAddress: string | null;
  City: string | null;
  Country: string | null;
  DeviceName: string | null;
  /** The sign-in's event, for `admin-update-auth-event-feedback --event-id`. */
  EventId: string | null;
  /** The user's events in the period. */
  Events: number;
}

/** The columns, in the order every format writes them. */
export const LAST_SIGN_IN_COLUMNS = [
  "Username",
  "sub",
  "LastSignIn",
  "DaysBeforePeriodEnd",
  "IpAddress",
  "City",
  "Country",
  "DeviceName",
  "EventId",
  "Events",
] as const satisfies ReadonlyArray<keyof LastSignInRow>;

const DAY_MS = 86_400_000;

/** Recency bands of the report's chart: `[label, fewer than this many days]`. */
export const RECENCY_BANDS: ReadonlyArray<readonly [label: string, below: number]> = [
  ["Within a day", 1],
  ["1 to 7 days", 7],
  ["7 to 30 days", 30],
  ["30 to 90 days", 90],
  ["90 days or more", Number.POSITIVE_INFINITY],
];

/** The label of the users without a successful sign-in in the period. */
export const NO_SIGN_IN = "No sign-in in the period";

/**
 * Every user's row: users without a successful sign-in first (by username), then the others from the longest ago
 * (ties by username).
 */
export function lastSignInRows(data: ReportData): LastSignInRow[] {
  const end = data.periodEnd?.getTime();
  const rows = data.users.map((user): LastSignInRow => {
    const last = user.lastSignIn;
    return {
      Username: user.username,
      sub: user.sub ?? null,
      LastSignIn: last ? new Date(last.time).toISOString() : null,
      DaysBeforePeriodEnd: last && end !== undefined ? Math.max(0, Math.floor((end - last.time) / DAY_MS)) : null,
      IpAddress: last?.ipAddress ?? null,
      City: last?.city ?? null,
      Country: last?.country ?? null,
      DeviceName: last?.deviceName ?? null,
      EventId: last?.eventId ?? null,
      Events: user.events,
    };
  });
  const name = (a: LastSignInRow, b: LastSignInRow) => (a.Username < b.Username ? -1 : a.Username > b.Username ? 1 : 0);
  return rows.sort((a, b) => {
    if (a.LastSignIn === null || b.LastSignIn === null)
      return a.LastSignIn === b.LastSignIn ? name(a, b) : a.LastSignIn === null ? -1 : 1;
    return a.LastSignIn < b.LastSignIn ? -1 : a.LastSignIn > b.LastSignIn ? 1 : name(a, b);
  });
}

/** Users per recency band, then the users without a sign-in ({@link NO_SIGN_IN}). */
export function recencyCounts(rows: readonly LastSignInRow[]): Array<[label: string, users: number]> {
  const counts = RECENCY_BANDS.map(([label]): [string, number] => [label, 0]);
  let none = 0;
  for (const row of rows) {
    if (row.LastSignIn === null) none++;
    else if (row.DaysBeforePeriodEnd !== null) {
      const band = RECENCY_BANDS.findIndex(([, below]) => row.DaysBeforePeriodEnd! < below);
      counts[band]![1]++;
    }
  }
  counts.push([NO_SIGN_IN, none]);
  return counts;
}
