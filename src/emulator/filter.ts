/**
 * ListUsers `Filter` expressions as AWS documents them: `AttributeName Filter-Type "Value"`,
 * where Filter-Type is `=` (exact) or `^=` (prefix), the name may be quoted, the value is in
 * double quotes with backslash escapes, and an empty string matches every user.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
 */

import { invalidParameter } from "./errors.ts";
import type { StoredUser } from "./store.ts";

/** The attributes the service can search on. */
const SEARCHABLE_ATTRIBUTES = [
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
] as const;

export interface UserFilter {
  attribute: (typeof SEARCHABLE_ATTRIBUTES)[number];
  prefix: boolean;
  value: string;
}

// The service's one message for every filter it cannot use.
const parseError = () => invalidParameter("Error while parsing filter.");

function readQuoted(text: string, start: number): [value: string, end: number] {
  let value = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\\") {
      i++;
      if (i >= text.length) throw parseError();
      value += text[i];
    } else if (c === '"') return [value, i + 1];
    else value += c;
  }
  throw parseError();
}

/** Parses a filter; undefined for the empty filter. Throws InvalidParameterException. */
export function parseFilter(text: string | undefined): UserFilter | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /\s/u.test(text[i] as string)) i++;
  };
  skipSpace();
  let name: string;
  if (text[i] === '"') [name, i] = readQuoted(text, i);
  else {
    const match = /^[^\s^="]+/u.exec(text.slice(i));
    if (!match) throw parseError();
    name = match[0];
    i += name.length;
  }
  skipSpace();
  let prefix = false;
  if (text.startsWith("^=", i)) {
    prefix = true;
    i += 2;
  } else if (text[i] === "=") i += 1;
  else throw parseError();
  skipSpace();
  if (text[i] !== '"') throw parseError();
  const [value, end] = readQuoted(text, i);
  i = end;
  skipSpace();
  if (i !== text.length) throw parseError();
  const attribute = SEARCHABLE_ATTRIBUTES.find((a) => a === name);
  if (!attribute) throw parseError();
  return { attribute, prefix, value };
}

/** Whether a user passes the filter. */
export function matchesFilter(user: StoredUser, filter: UserFilter | undefined): boolean {
  if (!filter) return true;
  let actual: string | undefined;
  let wanted = filter.value;
  switch (filter.attribute) {
    case "username":
      actual = user.username;
      break;
    case "sub":
      actual = user.sub;
      break;
    case "status":
      actual = user.enabled ? "Enabled" : "Disabled";
      break;
    case "cognito:user_status":
      // Documented as case-insensitive.
      actual = user.status.toLowerCase();
      wanted = wanted.toLowerCase();
      break;
    default:
      actual = user.attributes.find(([n]) => n === filter.attribute)?.[1];
  }
  if (actual === undefined) return false;
  return filter.prefix ? actual.startsWith(wanted) : actual === wanted;
}
