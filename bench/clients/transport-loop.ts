/**
 * The Node transport alone: the raw fetch floor's loop with `createNodeFetch()` as its fetch. No signing, retries or
 * date parsing, so against the node:http floor it measures what the transport costs over plain node:http.
 */
import { createNodeFetch } from "cognito-auth-events/node";
import { fetchLoop } from "./floor-fetch.ts";
import type { CreateLister } from "./types.ts";

export const createLister: CreateLister = (config) => fetchLoop(createNodeFetch() as typeof fetch)(config);
