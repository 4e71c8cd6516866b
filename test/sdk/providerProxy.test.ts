import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { DesktopBatchProviderModule, desktopBatchProviderProxy } from "../../sdk/providerProxy";

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

const calls: { method: string; args: unknown[] }[] = [];
const desktopBatchProvider = jest.fn(() =>
  Object.fromEntries(
    METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        calls.push({ method, args });
        return { from: method };
      },
    ]),
  ),
);
jest.mock("pulumi-ecd/provider", () => ({ desktopBatchProvider }), { virtual: true });

describe("the DesktopBatch provider proxy", () => {
  it("relies only on what provider/index.ts exports (the assignment is type-checked by tsc)", () => {
    const real: DesktopBatchProviderModule =
      jest.requireActual<typeof import("../../provider")>("../../provider");
    expect(typeof real.desktopBatchProvider).toBe("function");
    expect(real.desktopBatchProvider()).toBe(real.desktopBatchProvider());
  });

  it("loads the provider package only when Pulumi first calls it", async () => {
    expect(desktopBatchProvider).not.toHaveBeenCalled();
    await desktopBatchProviderProxy.check({}, { officeSiteId: "os-1" });
    expect(desktopBatchProvider).toHaveBeenCalled();
  });

  it("forwards every provider method with its arguments and returns the provider's answer", async () => {
    calls.length = 0;
    const config = { config: { get: () => undefined, require: () => "" } };
    const olds = { amount: 1 };
    const news = { amount: 2 };
    expect(await desktopBatchProviderProxy.configure(config)).toEqual({ from: "configure" });
    expect(await desktopBatchProviderProxy.check(olds, news)).toEqual({ from: "check" });
    expect(await desktopBatchProviderProxy.diff("id-1", olds, news)).toEqual({ from: "diff" });
    expect(await desktopBatchProviderProxy.create(news)).toEqual({ from: "create" });
    expect(await desktopBatchProviderProxy.read("id-1", olds)).toEqual({ from: "read" });
    expect(await desktopBatchProviderProxy.update("id-1", olds, news)).toEqual({ from: "update" });
    expect(await desktopBatchProviderProxy.delete("id-1", olds)).toBeDefined();
    expect(calls).toEqual([
      { method: "configure", args: [config] },
      { method: "check", args: [olds, news] },
      { method: "diff", args: ["id-1", olds, news] },
      { method: "create", args: [news] },
      { method: "read", args: ["id-1", olds] },
      { method: "update", args: ["id-1", olds, news] },
      { method: "delete", args: ["id-1", olds] },
    ]);
  });
});

describe("the serialized proxy in a dynamic-provider host", () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), "ecd-proxy-"));
    const stub = join(project, "node_modules", "pulumi-ecd");
    mkdirSync(stub, { recursive: true });
    writeFileSync(
      join(stub, "package.json"),
      JSON.stringify({ name: "pulumi-ecd", exports: { "./provider": "./provider.js" } }),
    );
    writeFileSync(
      join(stub, "provider.js"),
      `const methods = ${JSON.stringify(METHODS)};\n` +
        "let instances = 0;\n" +
        "let provider;\n" +
        "exports.desktopBatchProvider = () => {\n" +
        "  if (!provider) {\n" +
        "    instances++;\n" +
        "    provider = Object.fromEntries(methods.map((m) => [m, async (...args) => ({ m, args, instances })]));\n" +
        "  }\n" +
        "  return provider;\n" +
        "};\n",
    );
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("resolves pulumi-ecd/provider from the program's directory, as Pulumi's host deserializes it", async () => {
    // Mirrors @pulumi/pulumi/dynamic: the provider object is captured by an arrow function.
    const provider: pulumi.dynamic.ResourceProvider = desktopBatchProviderProxy;
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    writeFileSync(join(project, "serialized.txt"), serialized.text);
    const host =
      `const requireFromString = require(${JSON.stringify(require.resolve("require-from-string"))});\n` +
      "const text = require('fs').readFileSync('serialized.txt', 'utf8');\n" +
      "const provider = requireFromString(text).handler();\n" +
      "(async () => {\n" +
      "  const out = {};\n" +
      "  for (const m of Object.keys(provider)) out[m] = await provider[m]('a', 'b', 'c');\n" +
      "  console.log(JSON.stringify(out));\n" +
      "})();\n";
    const out = JSON.parse(execFileSync(process.execPath, ["-e", host], { cwd: project, encoding: "utf8" }));
    expect(Object.keys(out).sort()).toEqual([...METHODS].sort());
    expect(out.check).toEqual({ m: "check", args: ["a", "b"], instances: 1 });
    expect(out.update).toEqual({ m: "update", args: ["a", "b", "c"], instances: 1 });
    expect(out.delete).toEqual({ m: "delete", args: ["a", "b"], instances: 1 });
  });
});
