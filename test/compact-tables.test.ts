/**
 * The Node build's forms of the generated commands and errors (generated/commands.node.ts, errors.node.ts:
 * scripts/codegen/compact.ts) export what the written-out forms export: the same names, classes with the same
 * names, lengths, static members and prototypes, the same schemas (error lists shared alike), and errors whose
 * instances hold the same members and pass `instanceof` both ways, with each other and with the AWS SDK's. Checked on
 * the source, and on the packed package: its Node build (which takes the compact forms) against its build for
 * bundlers (which takes the written-out ones).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as Sdk from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, it } from "vitest";
import * as Commands from "../generated/commands.ts";
import * as CompactCommands from "../generated/commands.node.ts";
import * as CompactErrors from "../generated/errors.node.ts";
import * as Errors from "../generated/errors.ts";
import { type PackedPackage, packedPackage } from "../runtime-tests/harness.ts";

type Module = Record<string, unknown>;
type Class = (new (...args: never[]) => object) & Record<string, unknown>;

/** What a class shows of itself: name, length, parent's name, own static members and their descriptors. */
function classFace(value: unknown) {
  const Class = value as Class;
  const statics = Object.getOwnPropertyNames(Class).filter((key) => key !== "prototype");
  return {
    type: typeof Class,
    name: Class.name,
    length: Class.length,
    parent: Object.getPrototypeOf(Class).name,
    statics,
    descriptors: statics.map((key) => {
      const { writable, enumerable, configurable, get } = Object.getOwnPropertyDescriptor(Class, key)!;
      return [key, writable, enumerable, configurable, typeof get];
    }),
    prototypeKeys: Reflect.ownKeys(Class.prototype).map(String),
  };
}

/** A command's schema with its error classes by name, and what an instance holds. */
function commandFace(value: unknown) {
  const Class = value as Class & { schema: { errors: Array<{ name: string }>; serialize?: { name: string } } };
  const { schema } = Class;
  const instance = new (Class as unknown as new (input: object) => object)({ UserPoolId: "eu-west-1_a" });
  return {
    ...classFace(Class),
    schemaKeys: Object.keys(schema),
    // Classes and the encoder by name: the two builds of the package each have their own.
    schema: { ...schema, errors: schema.errors.map((e) => e.name), serialize: schema.serialize?.name },
    instance: Object.entries(instance).map(([key, v]) => [key, v === schema ? "the schema" : v]),
  };
}

/** What an error instance holds, made from the options the client passes. */
function errorFace(value: unknown) {
  const Class = value as new (options: object) => Error & Record<string, unknown>;
  const error = new Class({
    message: "it failed",
    $metadata: { httpStatusCode: 400, requestId: "r" },
    reasonCode: "INVALID_EMAIL",
    Unmodelled: "x",
  });
  return {
    ...classFace(Class),
    shapeId: (Class as unknown as Class).shapeId,
    keys: Object.getOwnPropertyNames(error),
    values: Object.getOwnPropertyNames(error)
      .filter((key) => key !== "stack")
      .map((key) => [key, error[key]]),
    string: String(error),
    stackHead: error.stack?.split("\n")[0],
  };
}

/** The two forms' exports, compared name by name. */
function compare(written: { commands: Module; errors: Module }, compact: { commands: Module; errors: Module }) {
  const commandNames = Object.keys(written.commands).filter((name) => name.endsWith("Command"));
  const errorNames = Object.keys(written.errors);
  expect(commandNames.length).toBeGreaterThan(100);
  expect(errorNames.length).toBeGreaterThan(40);
  for (const name of commandNames)
    expect(commandFace(compact.commands[name]), name).toEqual(commandFace(written.commands[name]));
  for (const name of errorNames) expect(errorFace(compact.errors[name]), name).toEqual(errorFace(written.errors[name]));
  // Operations with the same errors share one list, in both.
  const lists = (module: Module) =>
    commandNames.map((name) => (module[name] as { schema: { errors: unknown[] } }).schema.errors);
  const sharing = (all: unknown[][]) => all.map((list) => all.indexOf(list));
  expect(sharing(lists(compact.commands))).toEqual(sharing(lists(written.commands)));
  expect(new Set(lists(written.commands)).size).toBeLessThan(commandNames.length);
  // instanceof both ways, with each other and with the AWS SDK's classes; not with another error.
  const options = { message: "m", $metadata: {} };
  for (const name of errorNames.filter((n) => n !== "CognitoIdentityProviderServiceException")) {
    const [A, B] = [compact.errors[name], written.errors[name]] as Array<new (o: object) => Error>;
    const Theirs = (Sdk as unknown as Record<string, new (o: object) => Error>)[name]!;
    const a = new A!(options);
    const b = new B!(options);
    expect([a instanceof B!, b instanceof A!, a instanceof Theirs, new Theirs(options) instanceof A!], name).toEqual([
      true,
      true,
      true,
      true,
    ]);
    const other = name === "UserNotFoundException" ? "InternalErrorException" : "UserNotFoundException";
    expect(a instanceof (written.errors[other] as new () => Error), `${name} is not ${other}`).toBe(false);
    expect(a instanceof (compact.errors.CognitoIdentityProviderServiceException as new () => Error)).toBe(true);
  }
}

describe("the compact forms, on the source", () => {
  it("export the same names", () => {
    expect(Object.keys(CompactCommands).sort()).toEqual(Object.keys(Commands).sort());
    expect(Object.keys(CompactErrors).sort()).toEqual(Object.keys(Errors).sort());
  });

  it("export the same classes: names, statics, schemas, instances, instanceof", () => {
    // From the source, the compact commands list the written-out error classes (their module imports errors.ts).
    expect((CompactCommands.AdminListUserAuthEventsCommand.schema.errors as unknown[])[0]).toBe(
      Errors.InternalErrorException,
    );
    compare({ commands: Commands, errors: Errors }, { commands: CompactCommands, errors: CompactErrors });
  });
});

describe("the packed package", () => {
  let packed: PackedPackage;
  beforeAll(async () => {
    packed = await packedPackage();
  }, 300_000);

  it("its Node build carries the compact forms, and exports what its build for bundlers does", async () => {
    const dist = join(packed.consumer, "node_modules", "cognito-auth-events", "dist");
    const source = readFileSync(join(dist, "index.node.js"), "utf8");
    expect(source).not.toContain("Command=class extends Command");
    expect(readFileSync(join(dist, "index.node.module.js"), "utf8")).toContain("Command=class extends Command");
    const node = (await import(pathToFileURL(join(dist, "index.node.js")).href)) as Module;
    const forBundlers = (await import(pathToFileURL(join(dist, "index.node.module.js")).href)) as Module;
    expect(Object.keys(node).sort()).toEqual(Object.keys(forBundlers).sort());
    const errorNames = new Set(Object.keys(Errors));
    const pick = (module: Module, keep: (name: string) => boolean) =>
      Object.fromEntries(Object.entries(module).filter(([name]) => keep(name)));
    const split = (module: Module) => ({
      commands: pick(module, (name) => name.endsWith("Command") && name !== "Command"),
      errors: pick(module, (name) => errorNames.has(name)),
    });
    compare(split(forBundlers), split(node));
  });
});
