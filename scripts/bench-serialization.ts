/**
 * How big is the `__provider` text Pulumi stores in every DesktopBatch's state, and how long does it take to
 * produce: the SDK's proxy against naive dynamic providers that capture the implementation itself.
 *
 *   npm run bench:serialize [-- --runs 20]
 *
 * Each provider is measured in its own process, so that its first serialization is a cold one.
 */
import { spawnSync } from "child_process";
import { performance } from "perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import { DesktopBatchProvider, desktopBatchProvider } from "../provider";
import { desktopBatchProviderProxy } from "../sdk/providerProxy";
import { naiveInlineProvider } from "./bench/naiveInlineProvider";

type Provider = pulumi.dynamic.ResourceProvider;

const SUBJECTS: Readonly<Record<string, { label: string; make: () => Provider }>> = {
  proxy: {
    label: "SDK proxy (`sdk/providerProxy.ts`)",
    make: () => desktopBatchProviderProxy,
  },
  handwritten: {
    label: "naive: hand-written inline provider (create/read/delete over openapi-client, settings captured)",
    make: () =>
      naiveInlineProvider({
        regionId: "cn-hangzhou",
        endpoint: "http://127.0.0.1:8912",
        accessKeyId: "emulator",
        accessKeySecret: "emulator-secret",
      }),
  },
  instance: {
    label: "naive: `new DesktopBatchProvider()` passed to the resource",
    make: () => new DesktopBatchProvider(),
  },
  inline: {
    label: "naive: inline object calling `desktopBatchProvider()` from `../provider`",
    make: (): Provider => ({
      configure: (req) => desktopBatchProvider().configure(req),
      check: (olds, news) => desktopBatchProvider().check(olds, news),
      diff: (id, olds, news) => desktopBatchProvider().diff(id, olds, news),
      create: (inputs) => desktopBatchProvider().create(inputs),
      read: (id, props) => desktopBatchProvider().read(id, props),
      update: (id, olds, news) => desktopBatchProvider().update(id, olds, news),
      delete: (id, props) => desktopBatchProvider().delete(id, props),
    }),
  },
};

interface Measurement {
  bytes: number;
  firstMs: number;
  medianMs: number;
}

/** Bytes, or the serializer's complaint, for a provider that had only this one method of the class. */
type MethodSizes = Record<string, number | string>;

/** What `pulumi.dynamic.Resource` does with its provider argument to fill `__provider`. */
async function serializeLikePulumi(provider: Provider): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}

async function timed(provider: Provider): Promise<{ text: string; ms: number }> {
  const start = performance.now();
  const text = await serializeLikePulumi(provider);
  return { text, ms: performance.now() - start };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measure(subject: string, runs: number): Promise<Measurement> {
  const provider = SUBJECTS[subject].make();
  const first = await timed(provider);
  const rest: number[] = [];
  for (let i = 0; i < runs; i++) rest.push((await timed(provider)).ms);
  return { bytes: Buffer.byteLength(first.text), firstMs: first.ms, medianMs: median(rest) };
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("Function code:")[0].replace(/\s+/g, " ").trim().slice(0, 240);
}

async function methodSizes(): Promise<MethodSizes> {
  const prototype = DesktopBatchProvider.prototype as unknown as Record<string, unknown>;
  const sizes: MethodSizes = {};
  for (const name of Object.getOwnPropertyNames(prototype).filter((n) => n !== "constructor")) {
    const method = prototype[name];
    try {
      sizes[name] = Buffer.byteLength(await serializeLikePulumi({ create: method } as unknown as Provider));
    } catch (error) {
      sizes[name] = `fails: ${oneLine(error)}`;
    }
  }
  return sizes;
}

function inChild<T>(subject: string, runs: number): T | string {
  const args = [...process.execArgv, __filename, "--subject", subject, "--runs", String(runs)];
  const child = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) return `fails: ${child.stderr.trim().split("\n")[0].slice(0, 240)}`;
  return JSON.parse(child.stdout) as T;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

async function main(): Promise<void> {
  const runs = Number(option("--runs") ?? "10");
  const subject = option("--subject");
  if (subject === "methods") {
    console.log(JSON.stringify(await methodSizes()));
    return;
  }
  if (subject !== undefined) {
    try {
      console.log(JSON.stringify(await measure(subject, runs)));
    } catch (error) {
      console.error(oneLine(error));
      process.exit(1);
    }
    return;
  }
  const lines = [
    row(["Provider", "`__provider` bytes", "first serialization (ms)", `median of ${runs} more (ms)`]),
    row(["---", "---:", "---:", "---:"]),
  ];
  for (const [key, { label }] of Object.entries(SUBJECTS)) {
    const result = inChild<Measurement>(key, runs);
    lines.push(
      typeof result === "string"
        ? row([label, result, "", ""])
        : row([
            label,
            result.bytes.toLocaleString("en-US"),
            result.firstMs.toFixed(1),
            result.medianMs.toFixed(1),
          ]),
    );
  }
  console.log(lines.join("\n"));
  const methods = inChild<MethodSizes>("methods", runs);
  if (typeof methods === "string") return console.log(`\nPer-method sizes: ${methods}`);
  console.log("\nWhat each `DesktopBatchProvider` method drags in on its own (`__provider` bytes):\n");
  console.log(row(["Method", "bytes"]));
  console.log(row(["---", "---:"]));
  for (const [name, size] of Object.entries(methods)) {
    console.log(row([`\`${name}\``, typeof size === "number" ? size.toLocaleString("en-US") : size]));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
