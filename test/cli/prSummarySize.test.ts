/**
 * `pulumi-ecd pr-summary` at fleet scale: the comment must stay under GitHub's limit for a comment (65,536
 * characters), summarise per batch and collapse long lists. The previews are the captured rename preview grown to
 * thousands of desktops and to many batches. `UPDATE_GOLDEN=1` rewrites the golden files.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { GITHUB_COMMENT_LIMIT, prSummaryCommand } from "../../cli/prSummary";
import { memoryIo } from "./io";

const FIXTURES = path.join(__dirname, "fixtures");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

type Step = Record<string, unknown> & { urn: string };
interface State {
  urn: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/**
 * The captured rename preview (dev → review) with `batches` batches of `desktops` desktops each, every
 * `failedEvery`-th of them Failed.
 */
function fleetPreview(batches: number, desktops: number, failedEvery = 0): string {
  const document = JSON.parse(fs.readFileSync(path.join(FIXTURES, "rename.json"), "utf8")) as {
    steps: Step[];
  };
  const template = document.steps.find((step) => step.urn.includes("DesktopBatch"))!;
  const others = document.steps.filter((step) => step !== template);
  const grown = Array.from({ length: batches }, (_, b) => {
    const step = JSON.parse(JSON.stringify(template)) as Step & { oldState: State; newState: State };
    const name = batches === 1 ? "dev-desktops" : `team-${String(b + 1).padStart(2, "0")}`;
    const urn = step.urn.replace(/::dev-desktops$/, `::${name}`);
    const ids = Array.from(
      { length: desktops },
      (_, d) => `ecd-${String(b).padStart(3, "0")}x${String(d + 1).padStart(11, "0")}`,
    );
    const [first] = step.oldState.outputs.desktops as Record<string, unknown>[];
    step.urn = urn;
    step.oldState.urn = urn;
    step.newState.urn = urn;
    step.oldState.outputs.desktopIds = ids;
    step.oldState.outputs.desktops = ids.map((desktopId, d) => ({
      ...first,
      desktopId,
      desktopName: `dev-${d + 1}`,
      desktopStatus: failedEvery && (d + 1) % failedEvery === 0 ? "Failed" : "Running",
    }));
    for (const bag of [step.oldState.inputs, step.oldState.outputs, step.newState.inputs])
      bag.amount = desktops;
    return step;
  });
  return JSON.stringify({ ...document, steps: [...others, ...grown] });
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => emu?.close());

async function summarise(preview: string, args: string[] = []) {
  const io = memoryIo({
    stdin: preview,
    env: {
      ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
    },
  });
  const code = await prSummaryCommand(args, io);
  return { code, markdown: io.out(), stderr: io.err() };
}

function expectGolden(name: string, markdown: string): void {
  const golden = path.join(FIXTURES, `${name}.md`);
  if (UPDATE) fs.writeFileSync(golden, markdown);
  expect(markdown).toBe(fs.readFileSync(golden, "utf8"));
}

describe("pr-summary at fleet scale", () => {
  it("summarises 3,000 desktops of one batch in a comment GitHub accepts", async () => {
    const { code, markdown, stderr } = await summarise(fleetPreview(1, 3_000, 100));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown.length).toBeLessThan(20_000);
    expect(markdown).toContain("<details>");
    expect(markdown).not.toContain("shortened");
    // The Failed desktops: a count and the first few IDs.
    expect(markdown).toContain(
      "30 desktops of dev-desktops are Failed (`ecd-000x00000000100`, `ecd-000x00000000200`, `ecd-000x00000000300`, `ecd-000x00000000400`, `ecd-000x00000000500` and 25 more)",
    );
    expectGolden("size-3000-desktops", markdown);
  });

  it("summarises 50 batches of 60 desktops in a comment GitHub accepts", async () => {
    const { code, markdown } = await summarise(fleetPreview(50, 60));
    expect(code).toBe(0);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown.match(/^\| `team-\d\d` \| update in place \| 60 → 60 \|/gm)).toHaveLength(50);
    expect(markdown).toContain("| **Total** |  | 3000 → 3000 |");
    expect(markdown).not.toContain("shortened");
    expectGolden("size-50-batches", markdown);
  });

  it("shortens what does not fit, at the end, and says so at the top", async () => {
    const { code, markdown } = await summarise(fleetPreview(600, 20, 7), ["--no-cost"]);
    expect(code).toBe(0);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const lines = markdown.split("\n");
    expect(lines.slice(0, 5).join("\n")).toMatch(
      /^> \*\*This summary was shortened to fit GitHub's limit of 65,536 characters for a comment\*\*: [\d,]+ of [\d,]+ lines are shown\./m,
    );
    // Every batch still has its row; what is cut is the detail after the table.
    expect(markdown.match(/^\| `team-\d+` \|/gm)).toHaveLength(600);
    expect(markdown.trimEnd().endsWith("_… shortened here: the rest is in `pulumi preview`'s output._")).toBe(
      true,
    );
    expect(markdown.split("<details>").length).toBe(markdown.split("</details>").length);
  });
});
