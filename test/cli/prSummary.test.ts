/**
 * `pulumi-ecd pr-summary` on previews captured from the real Pulumi CLI against the emulator
 * (scripts/capture-preview-fixtures.ts): each fixture's Markdown is compared with its golden file, priced by an
 * in-process emulator's tariff. `UPDATE_GOLDEN=1 npx jest test/cli/prSummary.test.ts` rewrites the golden files.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { main } from "../../cli/main";
import { PR_SUMMARY_EXIT, prSummaryCommand } from "../../cli/prSummary";
import { memoryIo } from "./io";
import { renderMarkdown } from "../../cli/prSummary/markdown";

const FIXTURES = path.join(__dirname, "fixtures");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8");
const fixtureNames = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -".json".length))
  .sort();

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => emu?.close());

const emulatorEnv = (): NodeJS.ProcessEnv => ({
  ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
  ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
});

async function summary(name: string, args: string[] = [], env = emulatorEnv()) {
  const io = memoryIo({ env });
  const code = await prSummaryCommand([...args, path.join(FIXTURES, `${name}.json`)], io);
  return { code, markdown: io.out(), stderr: io.err() };
}

/** A preview of one DesktopBatch step, edited from a captured fixture. */
function edited(name: string, edit: (step: Record<string, unknown>) => void): string {
  const document = JSON.parse(fixture(name)) as { steps: Record<string, unknown>[] };
  for (const step of document.steps) if (String(step.urn).includes("DesktopBatch")) edit(step);
  return JSON.stringify(document);
}

describe("golden summaries of previews captured from the real CLI", () => {
  it("has captured fixtures", () => {
    expect(fixtureNames).toEqual(
      expect.arrayContaining(["create", "scale-up", "rename", "replace", "subscription-replace", "drift"]),
    );
  });

  it.each(fixtureNames)("%s", async (name) => {
    const { code, markdown, stderr } = await summary(name);
    const failed = name === "invalid";
    expect(stderr).toBe(
      failed ? "pulumi-ecd pr-summary: the preview failed (1 error); see the summary\n" : "",
    );
    expect(code).toBe(failed ? PR_SUMMARY_EXIT.previewFailed : 0);
    const golden = path.join(FIXTURES, `${name}.md`);
    if (UPDATE || !fs.existsSync(golden)) {
      if (!UPDATE) throw new Error(`${golden} is missing; run with UPDATE_GOLDEN=1 to write it`);
      fs.writeFileSync(golden, markdown);
    }
    expect(markdown).toBe(fs.readFileSync(golden, "utf8"));
  });
});

describe("what the summary says", () => {
  it("counts desktops created on a scale-up, and names the API that changes the amount", async () => {
    const { markdown } = await summary("scale-up", ["--no-cost"]);
    expect(markdown).toContain("| `dev-desktops` | update in place | 3 → 5 | 2 | 0 | 0 | 0 | 0 |");
    expect(markdown).toContain("| `amount` | `3` | `5` | in place: CreateDesktops / DeleteDesktops |");
  });

  it("warns loudly for every desktop a replacement destroys, with the input that forces it", async () => {
    const { markdown } = await summary("replace", ["--no-cost"]);
    expect(markdown).toContain("> **⚠️ 3 desktops of dev-desktops will be destroyed: users lose their data");
    expect(markdown).toMatch(
      /\| `officeSiteId` \| `cn-hangzhou\+dir-0000000001` \| `cn-hangzhou\+dir-0000000002` \| \*\*replaces the batch\*\* \|/,
    );
  });

  it("warns for desktops released by a scale-down", async () => {
    const { markdown } = await summary("scale-down", ["--no-cost"]);
    expect(markdown).toContain(
      "**⚠️ 2 desktops of dev-desktops will be released (scale-down): users lose their data.**",
    );
  });

  it("shows drift a --refresh preview found: a desktop gone and one Failed, healed by the plan", async () => {
    const { markdown } = await summary("drift", ["--no-cost"]);
    expect(markdown).toContain("1 desktop of dev-desktops no longer exists (deleted outside Pulumi)");
    expect(markdown).toMatch(
      /1 desktop of dev-desktops is Failed \(`ecd-[a-z0-9]+`\); this plan releases it and creates new ones/,
    );
  });

  it("says that releasing subscription desktops fails unless the batch opts in", async () => {
    const { markdown } = await summary("subscription-replace", ["--no-cost"]);
    expect(markdown).toContain(
      "2 subscription desktops of office-subscription would be released: the apply will fail",
    );
  });

  it("says a spec change stops and starts the kept desktops, and keeps secrets hidden", async () => {
    const { markdown } = await summary("resize-secret", ["--no-cost"]);
    expect(markdown).toContain(
      "2 desktops will be stopped, changed with ModifyDesktopSpec and started again.",
    );
    expect(markdown).toContain(
      "| `desktopAttachment.desktopType` | `eds.enterprise_office.4c8g` | `eds.enterprise_office.8c16g` | in place: ModifyDesktopSpec |",
    );
    expect(markdown).not.toContain("New-Item");
  });

  it("prices before and after with DescribePrice and prints the assumptions", async () => {
    const { markdown } = await summary("scale-up");
    const row = markdown.split("\n").find((l) => l.startsWith("| `dev-desktops`"))!;
    const [before, after] = [...row.matchAll(/([\d,]+\.\d\d) CNY/g)].map((m) =>
      Number(m[1].replace(/,/g, "")),
    );
    expect(after).toBeCloseTo((before / 3) * 5, 1);
    expect(markdown).toContain("Pay-as-you-go desktops run 730 hours a month");
    expect(markdown).toContain(
      "- Spec: `eds.enterprise_office.4c8g` Windows, system 80 GiB, data 40 GiB, pay-as-you-go (from bundle b-win-office-4c8g)",
    );
  });

  it("reports a pricing failure in the summary without failing", async () => {
    const { code, markdown } = await summary("create", [], {
      ...emulatorEnv(),
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong",
    });
    expect(code).toBe(0);
    expect(markdown).toMatch(
      /- `dev-desktops`: not estimated: Describe(Bundles|Price) failed at .*\(SignatureDoesNotMatch/,
    );
  });

  it("says why a batch whose bundle is known only after apply is not priced", async () => {
    const text = edited("create", (step) => {
      (step.newState as { inputs: Record<string, unknown> }).inputs.bundleId =
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    });
    const io = memoryIo({ stdin: text, env: emulatorEnv() });
    expect(await prSummaryCommand([], io)).toBe(0);
    expect(io.out()).toContain(
      "- `dev-desktops`: not estimated: the bundle or desktopAttachment is not known until apply",
    );
  });

  it("says a preview failed, with its errors, and exits non-zero", async () => {
    const failed = {
      diagnostics: [{ severity: "error", message: "program failed: officeSiteId is required\n" }],
    };
    const io = memoryIo({ stdin: JSON.stringify(failed) });
    expect(await prSummaryCommand(["--no-cost"], io)).toBe(PR_SUMMARY_EXIT.previewFailed);
    expect(io.out()).toContain("## Desktop changes (pulumi-ecd): the preview failed");
    expect(io.out()).toContain("> [!CAUTION]\n> **The preview failed**: there is no plan to review.");
    expect(io.out()).toContain("> program failed: officeSiteId is required");
    expect(io.err()).toBe("pulumi-ecd pr-summary: the preview failed (1 error); see the summary\n");
  });

  it('never reads a batch of a failed preview as "no change"', async () => {
    // The provider's diff failed: the engine records the batch as unchanged and the preview as failed.
    const document = JSON.parse(
      edited("rename", (step) => {
        step.op = "same";
        step.newState = step.oldState;
      }),
    ) as Record<string, unknown>;
    document.diagnostics = [
      {
        urn: "urn:pulumi:review::ecd-quickstart::pulumi-nodejs:dynamic/ecd:DesktopBatch::dev-desktops",
        severity: "error",
        message: "error: DescribeDesktops failed at ...: SignatureDoesNotMatch\n",
      },
    ];
    const io = memoryIo({ stdin: JSON.stringify(document) });
    expect(await prSummaryCommand(["--no-cost"], io)).toBe(PR_SUMMARY_EXIT.previewFailed);
    expect(io.out()).not.toContain("no change");
    expect(io.out()).toContain("> error: DescribeDesktops failed at ...: SignatureDoesNotMatch");
    expect(io.out()).toContain("The preview failed before it planned any change to a DesktopBatch.");
  });

  it("counts the desktops powerState starts in the Stop/start column", async () => {
    const text = edited("rename", (step) => {
      const old = step.oldState as { outputs: { desktops: Record<string, unknown>[] } };
      for (const desktop of old.outputs.desktops) desktop.desktopStatus = "Stopped";
      const next = step.newState as { inputs: Record<string, unknown> };
      next.inputs.desktopName = "dev";
      next.inputs.powerState = "Running";
    });
    const io = memoryIo({ stdin: text });
    await prSummaryCommand(["--no-cost"], io);
    expect(io.out()).toContain("| `dev-desktops` | update in place | 3 → 3 | 0 | 0 | 0 | 0 | 3 |");
    expect(io.out()).toContain("3 desktops will be started (powerState Running).");
  });

  it("prices pay-as-you-go desktops that powerState stops with StopCharging without their compute", async () => {
    const text = edited("rename", (step) => {
      const next = step.newState as { inputs: Record<string, unknown> };
      next.inputs.desktopName = "dev";
      next.inputs.powerState = "Stopped";
    });
    const io = memoryIo({ stdin: text, env: emulatorEnv() });
    await prSummaryCommand([], io);
    expect(io.out()).toMatch(
      /\| `dev-desktops` \| update in place \| 3 → 3 \| 0 \| 0 \| 0 \| 0 \| 3 \| 1,905\.30 CNY → 0\.00 CNY \(\*\*−1,905\.30 CNY\*\*\) \|/,
    );
    expect(io.out()).toContain(
      "- Stopped pay-as-you-go desktops (powerState `Stopped`, stoppedMode `StopCharging`) are priced at 0: their compute is not billed while stopped; their disks still are, and are not included.",
    );
    const keep = edited("rename", (step) => {
      const next = step.newState as { inputs: Record<string, unknown> };
      Object.assign(next.inputs, { desktopName: "dev", powerState: "Stopped", stoppedMode: "KeepCharging" });
    });
    const kept = memoryIo({ stdin: keep, env: emulatorEnv() });
    await prSummaryCommand([], kept);
    expect(kept.out()).toContain("1,905.30 CNY → 1,905.30 CNY");
  });

  it("words a scale-up as desktops to create for the new amount, not as missing ones", async () => {
    const { markdown } = await summary("scale-up", ["--no-cost"]);
    expect(markdown).toContain("- 2 desktop(s) will be created (amount 3 → 5)");
    expect(markdown).not.toContain("missing");
  });

  it("says that in a replacement every changed input comes with the new batch, none in place", async () => {
    const text = edited("replace", (step) => {
      Object.assign((step.newState as { inputs: Record<string, unknown> }).inputs, {
        amount: 4,
        powerState: "Stopped",
      });
    });
    const io = memoryIo({ stdin: text });
    await prSummaryCommand(["--no-cost"], io);
    expect(io.out()).toContain("| `amount` | `3` | `4` | with the new batch (replaced) |");
    expect(io.out()).toContain("| `powerState` | _(unset)_ | `Stopped` | with the new batch (replaced) |");
    expect(io.out()).not.toContain("in place");
  });

  it("lists no change for an unset policyGroupId, as the provider plans none (the desktops keep their policy)", async () => {
    const text = edited("scale-up", (step) => {
      delete (step.newState as { inputs: Record<string, unknown> }).inputs.policyGroupId;
    });
    const io = memoryIo({ stdin: text });
    expect(await prSummaryCommand(["--no-cost"], io)).toBe(0);
    expect(io.out()).toContain("| `amount` | `3` | `5` | in place: CreateDesktops / DeleteDesktops |");
    expect(io.out()).not.toContain("policyGroupId");
    expect(io.out()).not.toContain("ModifyDesktopsPolicyGroup");
  });

  it("leaves the cost out with --no-cost", async () => {
    const { markdown } = await summary("create", ["--no-cost"]);
    expect(markdown).not.toContain("Cost");
  });

  it("recognises a batch printed as pulumi-nodejs:dynamic:Resource by the provider it loads", async () => {
    const text = edited("create", (step) => {
      (step.newState as { type: string }).type = "pulumi-nodejs:dynamic:Resource";
    });
    const io = memoryIo({ stdin: text });
    expect(await prSummaryCommand(["--no-cost"], io)).toBe(0);
    expect(io.out()).toContain("| `dev-desktops` | create | 0 → 3 | 3 |");
  });

  it("ignores other dynamic resources", async () => {
    const text = edited("create", (step) => {
      const state = step.newState as { type: string; inputs: Record<string, unknown> };
      state.type = "pulumi-nodejs:dynamic:Resource";
      state.inputs = { __provider: "exports.handler = something else", amount: 3 };
    });
    const io = memoryIo({ stdin: text });
    expect(await prSummaryCommand(["--no-cost"], io)).toBe(0);
    expect(io.out()).toContain("This plan touches no DesktopBatch.");
  });
});

describe("several batches", () => {
  it("adds a total row over every batch: desktops and cost", async () => {
    const first = JSON.parse(fixture("scale-up")) as { steps: unknown[] };
    const second = JSON.parse(fixture("subscription-create")) as { steps: unknown[] };
    const io = memoryIo({
      stdin: JSON.stringify({ ...first, steps: [...first.steps, ...second.steps] }),
      env: emulatorEnv(),
    });
    expect(await prSummaryCommand([], io)).toBe(0);
    const lines = io.out().split("\n");
    const header = lines.findIndex((l) => l.startsWith("| Batch |"));
    const rows = lines.slice(header + 2, lines.indexOf("", header));
    expect(rows.map((r) => r.split(" | ").slice(0, 4).join(" | "))).toEqual([
      "| `dev-desktops` | update in place | 3 → 5 | 2",
      "| `office-subscription` | create | 0 → 2 | 2",
      "| **Total** |  | 3 → 7 | 4",
    ]);
    const afterCost = (row: string) => Number(/→ ([\d,]+\.\d\d) CNY/.exec(row)![1].replace(/,/g, ""));
    expect(afterCost(rows[2])).toBeCloseTo(afterCost(rows[0]) + afterCost(rows[1]), 2);
  });
});

describe("exit codes a workflow gates on", () => {
  it("--fail-on-replace exits non-zero when a batch with desktops is replaced, and still prints", async () => {
    const replaced = await summary("replace", ["--no-cost", "--fail-on-replace"]);
    expect(replaced.code).toBe(PR_SUMMARY_EXIT.replaces);
    expect(replaced.markdown).toContain("will be destroyed");
    expect(replaced.stderr).toBe(
      "pulumi-ecd pr-summary: exit 3 (--fail-on-replace): the plan replaces dev-desktops, destroying its 3 desktops (officeSiteId changed)\n",
    );
    expect((await summary("scale-up", ["--no-cost", "--fail-on-replace"])).code).toBe(0);
  });

  it("--fail-on-release exits non-zero on a scale-down or replace, not on a scale-up", async () => {
    const scaledDown = await summary("scale-down", ["--no-cost", "--fail-on-release"]);
    expect(scaledDown.code).toBe(PR_SUMMARY_EXIT.releases);
    expect(scaledDown.stderr).toBe(
      "pulumi-ecd pr-summary: exit 4 (--fail-on-release): the plan releases 2 desktops of dev-desktops (scale-down)\n",
    );
    expect((await summary("replace", ["--no-cost", "--fail-on-release"])).code).toBe(
      PR_SUMMARY_EXIT.releases,
    );
    expect((await summary("scale-up", ["--no-cost", "--fail-on-release"])).code).toBe(0);
  });

  it("exits 1 on input that is not a preview, and 2 on bad arguments", async () => {
    const notJson = memoryIo({ stdin: "Previewing update (dev):" });
    expect(await prSummaryCommand([], notJson)).toBe(1);
    expect(notJson.err()).toContain("not JSON");
    const io = memoryIo();
    expect(await prSummaryCommand(["--bogus"], io)).toBe(2);
    expect(io.err()).toContain("unknown option --bogus");
  });
});

describe("pulumi-ecd", () => {
  it("lists its commands with --help", async () => {
    const io = memoryIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.out()).toContain("pr-summary");
  });

  it("prints a command's help", async () => {
    const io = memoryIo();
    expect(await main(["pr-summary", "--help"], io)).toBe(0);
    expect(io.out()).toContain("--fail-on-replace");
  });

  it("prints its version with --version, -v and version", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
    for (const flag of ["--version", "-v", "version"]) {
      const io = memoryIo();
      expect(await main([flag], io)).toBe(0);
      expect(io.out()).toBe(`pulumi-ecd ${version}\n`);
    }
  });

  it("rejects an unknown command", async () => {
    const io = memoryIo();
    expect(await main(["deploy"], io)).toBe(2);
    expect(io.err()).toContain('unknown command "deploy"');
  });
});

describe("text the summary quotes", () => {
  it("keeps a preview error's angle brackets as text: GitHub would drop Output<string> or open a <details>", () => {
    const markdown = renderMarkdown([], {
      cost: false,
      diagnostics: [
        "index.ts(3,7): error TS2322: Type 'Output<string>' is not assignable to type 'string'.\n<details> in `a <b> c`",
      ],
    });
    expect(markdown).toContain("> index.ts(3,7): error TS2322: Type 'Output&lt;string>' is not assignable");
    expect(markdown).toContain("> &lt;details> in `a <b> c`");
    expect(markdown).not.toMatch(/<details>/);
  });
});
