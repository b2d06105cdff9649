// @ts-check
/**
 * examples/vercel-edge in the edge runtime's VM: the harness bundles this script with the example (IIFE) and reads
 * the function and its config from the global it sets.
 */
import handler, { config } from "../../examples/vercel-edge/api/latest-sign-in.ts";

/** @type {any} */ (globalThis).__caeExample = { handler, config };
