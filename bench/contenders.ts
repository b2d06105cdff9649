/** The contenders, in table order: `client` is their module in bench/clients/. */
export const CONTENDERS = [
  { id: "ours", label: "cognito-auth-events (global fetch)", client: "ours.ts", edge: true },
  { id: "ours-node", label: "cognito-auth-events + createNodeFetch", client: "ours-node.ts", edge: false },
  { id: "sdk", label: "@aws-sdk/client-cognito-identity-provider", client: "sdk.ts", edge: true },
  { id: "aws4fetch", label: "aws4fetch + hand-written loop", client: "aws4fetch.ts", edge: true },
  { id: "floor-fetch", label: "floor: raw fetch, no signing", client: "floor-fetch.ts", edge: true },
  { id: "floor-http", label: "floor: raw node:http keep-alive, no signing", client: "floor-http.ts", edge: false },
] as const;

export type ContenderId = (typeof CONTENDERS)[number]["id"];
