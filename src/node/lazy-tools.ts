/**
 * What the Node build exports in place of src/tools.ts (tsup.config.ts): the tools' constants themselves, and for each
 * of their functions and classes a stand-in that loads the tools (dist/node-tools.js, which takes the package's classes
 * and constants from the Node build that loads it) the first time a program touches it, then is the real one in every
 * respect: called, constructed, extended, its properties read, listed or changed, `instanceof` (its `prototype` is the
 * real one, and the real prototype's `constructor` is the stand-in, so a class is one object however a program reaches
 * it). A program that uses no tool does not load, compile or run them.
 *
 * The tools' functions and classes are synchronous, so their module is loaded with `require`: an ES module, which
 * Node (>= 20.19 and >= 22.12), Deno and Bun load synchronously. Bundlers for Node take the Node build under the
 * `module` condition (package.json), which carries the tools themselves. Bun's and Deno's bundlers take this build
 * and do not follow the `require`: their bundles need dist/node-tools.js next to them to use a tool.
 *
 * Node, Deno and Bun.
 *
 * @module
 */
import { AdminUpdateAuthEventFeedbackCommand } from "../../generated/commands.ts";
import { paginateAdminListUserAuthEvents, paginateListUsers } from "../../generated/paginators.ts";
import { AUDIT_QUOTAS, AUDIT_STATE_KIND } from "../audit/constants.ts";
import { AbortError } from "../errors.ts";
import { FEEDBACK_QUOTAS } from "../feedback/constants.ts";
import { OCSF_VERSION } from "../ocsf/constants.ts";
import { StartingTokenError } from "../starting-token-error.ts";
import type * as Tools from "../tools.ts";

export { AUDIT_QUOTAS, AUDIT_STATE_KIND } from "../audit/constants.ts";
export { FEEDBACK_QUOTAS } from "../feedback/constants.ts";
export { OCSF_VERSION } from "../ocsf/constants.ts";

/** The built tools, next to the Node build in dist/ (tsup.config.ts). */
const TOOLS_FILE = "./node-tools.js";

/**
 * What the tools take from the Node build (tsup.config.ts's TOOLS_SHARED_NAMES), handed over under a registered
 * symbol while they load: the tools never import the package, so a loader that requires them as CommonJS (tsx, Jest)
 * does not load a second copy of it. Named one by one: a module's namespace object would cost the import.
 */
const shared = () => ({
  AdminUpdateAuthEventFeedbackCommand,
  paginateAdminListUserAuthEvents,
  paginateListUsers,
  AbortError,
  StartingTokenError,
  AUDIT_QUOTAS,
  AUDIT_STATE_KIND,
  FEEDBACK_QUOTAS,
  OCSF_VERSION,
});
const SHARED_KEY = Symbol.for("cognito-auth-events/node-tools");

let loaded: typeof Tools | undefined;

/** The tools' module, loaded on first use. */
function tools(): typeof Tools {
  if (loaded === undefined) {
    const registry = globalThis as { [SHARED_KEY]?: object };
    registry[SHARED_KEY] = shared();
    try {
      // Not a static import of node:module, which alone costs an import about a millisecond. The require is made
      // relative to the tools' file written as a URL, the form file tracers (@vercel/nft, as serverless platforms
      // deploy a Node function) take for a file the module needs.
      const { process } = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
      const nodeModule = process?.getBuiltinModule?.("node:module") as
        | { createRequire(from: string | URL): (id: string) => unknown }
        | undefined;
      if (nodeModule === undefined) throw new Error("process.getBuiltinModule is missing");
      loaded = nodeModule.createRequire(new URL("./node-tools.js", import.meta.url))(TOOLS_FILE) as typeof Tools;
    } catch (error) {
      throw new Error(
        `cognito-auth-events could not load its audit, OCSF and feedback tools (${TOOLS_FILE}): ${(error as Error)?.message}` +
          " (they need a runtime that requires ES modules: Node >= 20.19 or >= 22.12, Deno, Bun; a bundler must keep" +
          ' dist/node-tools.js next to the package\'s Node build, or use its "module" export condition)',
        { cause: error },
      );
    } finally {
      delete registry[SHARED_KEY];
    }
  }
  return loaded;
}

/** The names of the tools that are functions or classes. */
type Callable = {
  [K in keyof typeof Tools]: (typeof Tools)[K] extends (...args: never) => unknown
    ? K
    : (typeof Tools)[K] extends abstract new (
          ...args: never
        ) => unknown
      ? K
      : never;
}[keyof typeof Tools];

/**
 * A stand-in for the tools' function or class `name`: a proxy whose every operation loads the tools and is done on the
 * real one. The target is a plain function, so the proxy can be called and constructed; the real one's
 * non-configurable properties (a class's `prototype`) are copied onto it, as a proxy's invariants ask.
 */
function standIn<K extends Callable>(name: K): (typeof Tools)[K] {
  let real: ((...args: unknown[]) => unknown) | undefined;
  // A bound function: constructible, like a class, and without a `prototype` of its own, which a proxy could not
  // report as the real one's (see `resolve`).
  // biome-ignore lint/complexity/useArrowFunction: a proxy that can be constructed needs a target that can be.
  const target = function () {}.bind(undefined);
  Object.defineProperty(target, "name", { value: name });
  const resolve = (): typeof target => {
    if (real === undefined) {
      const value = tools()[name] as unknown as (...args: unknown[]) => unknown;
      // A proxy may report a property as not configurable only if its target has it so: a class's `prototype`.
      for (const key of Reflect.ownKeys(value)) {
        const descriptor = Reflect.getOwnPropertyDescriptor(value, key)!;
        if (!descriptor.configurable) Reflect.defineProperty(target, key, descriptor);
      }
      const prototype = (value as { prototype?: { constructor?: unknown } }).prototype;
      if (prototype !== undefined && Object.hasOwn(prototype, "constructor") && prototype.constructor === value)
        Reflect.defineProperty(prototype, "constructor", { value: proxy });
      real = value;
    }
    return real;
  };
  const proxy: typeof target = new Proxy(target, {
    apply: (_, self, args) => Reflect.apply(resolve(), self, args),
    construct: (_, args, newTarget): object =>
      Reflect.construct(resolve(), args, newTarget === proxy ? resolve() : newTarget),
    get: (_, key, receiver) => Reflect.get(resolve(), key, receiver === proxy ? resolve() : receiver),
    set: (_, key, value, receiver) => Reflect.set(resolve(), key, value, receiver === proxy ? resolve() : receiver),
    has: (_, key) => Reflect.has(resolve(), key),
    ownKeys: () => Reflect.ownKeys(resolve()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(resolve(), key),
    defineProperty(_, key, descriptor) {
      const done = Reflect.defineProperty(resolve(), key, descriptor);
      if (done && descriptor.configurable === false)
        Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(real!, key)!);
      return done;
    },
    deleteProperty: (_, key) => Reflect.deleteProperty(resolve(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(resolve()),
    setPrototypeOf: (_, prototype) => Reflect.setPrototypeOf(resolve(), prototype),
    isExtensible: () => Reflect.isExtensible(resolve()),
    preventExtensions() {
      const value = resolve();
      Reflect.preventExtensions(value);
      // A proxy is non-extensible only with its target, which must then hold every property the real one has.
      for (const key of Reflect.ownKeys(target)) if (!Object.hasOwn(value, key)) Reflect.deleteProperty(target, key);
      for (const key of Reflect.ownKeys(value))
        Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(value, key)!);
      Reflect.setPrototypeOf(target, Reflect.getPrototypeOf(value));
      return Reflect.preventExtensions(target);
    },
  });
  return proxy as unknown as (typeof Tools)[K];
}

export const auditUserPool = /* @__PURE__ */ standIn("auditUserPool");
export const PoolAudit = /* @__PURE__ */ standIn("PoolAudit");
export const QuotaPacer = /* @__PURE__ */ standIn("QuotaPacer");
export const AuditStateBuilder = /* @__PURE__ */ standIn("AuditStateBuilder");
export const auditUserKey = /* @__PURE__ */ standIn("auditUserKey");
export const AuditSummary = /* @__PURE__ */ standIn("AuditSummary");
export const formatSummaryTable = /* @__PURE__ */ standIn("formatSummaryTable");
export const toOcsfAuthentication = /* @__PURE__ */ standIn("toOcsfAuthentication");
export const countryCode = /* @__PURE__ */ standIn("countryCode");
export const ocsfNdjson = /* @__PURE__ */ standIn("ocsfNdjson");
export const ocsfNdjsonLine = /* @__PURE__ */ standIn("ocsfNdjsonLine");
export const BulkFeedback = /* @__PURE__ */ standIn("BulkFeedback");
export const sendBulkFeedback = /* @__PURE__ */ standIn("sendBulkFeedback");
export const FeedbackInputError = /* @__PURE__ */ standIn("FeedbackInputError");
export const parseFeedbackLine = /* @__PURE__ */ standIn("parseFeedbackLine");
export const readFeedbackTargets = /* @__PURE__ */ standIn("readFeedbackTargets");
