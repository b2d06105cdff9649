/**
 * The contenders, in table order: `client` is their module in bench/clients/; `edge`: also bundled as an edge worker;
 * `signed`: signs its requests (checked against a signature-verifying emulator before the measurements).
 */
export const CONTENDERS = [
  { id: "ours", label: "cognito-auth-events (global fetch)", client: "ours.ts", edge: true, signed: true },
  { id: "lite", label: "cognito-auth-events/lite (global fetch)", client: "ours-lite.ts", edge: true, signed: true },
  {
    id: "ours-node",
    label: "cognito-auth-events + createNodeFetch",
    client: "ours-node.ts",
    edge: false,
    signed: true,
  },
  { id: "sdk", label: "@aws-sdk/client-cognito-identity-provider", client: "sdk.ts", edge: true, signed: true },
  { id: "aws4fetch", label: "aws4fetch + hand-written loop", client: "aws4fetch.ts", edge: true, signed: true },
  { id: "floor-fetch", label: "floor: raw fetch, no signing", client: "floor-fetch.ts", edge: true, signed: false },
  {
    id: "floor-http",
    label: "floor: raw node:http keep-alive, no signing",
    client: "floor-http.ts",
    edge: false,
    signed: false,
  },
  {
    id: "transport-loop",
    label: "createNodeFetch alone in the raw loop, no signing",
    client: "transport-loop.ts",
    edge: false,
    signed: false,
  },
] as const;

export type ContenderId = (typeof CONTENDERS)[number]["id"];

/**
 * What the import phase loads, each in a fresh process: `specifier` as a user's code would import it from the
 * temporary project (the floor: an empty local module, the cost of an import before any code).
 */
export const IMPORTS = [
  { id: "floor", label: "floor: an empty module", specifier: undefined },
  { id: "ours", label: "cognito-auth-events (its Node build)", specifier: "cognito-auth-events" },
  { id: "lite", label: "cognito-auth-events/lite", specifier: "cognito-auth-events/lite" },
  { id: "aws4fetch", label: "aws4fetch", specifier: "aws4fetch" },
  {
    id: "sdk",
    label: "@aws-sdk/client-cognito-identity-provider",
    specifier: "@aws-sdk/client-cognito-identity-provider",
  },
] as const;

export type ImportId = (typeof IMPORTS)[number]["id"];
