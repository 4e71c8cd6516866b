/**
 * The GitHub Actions example is valid against GitHub's workflow schema (SchemaStore's github-workflow.json as
 * embedded in @action-validator/core, offline), and does what its README promises.
 */
import * as fs from "fs";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import { prSummaryCommand } from "../../cli/prSummary";
import { startEmulator } from "../../emulator";
import { memoryIo } from "../cli/io";

const DIR = path.join(__dirname, "..", "..", "examples", "github-actions");
const workflows = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string): string => fs.readFileSync(path.join(DIR, file), "utf8");

describe("examples/github-actions", () => {
  it("has a workflow", () => {
    expect(workflows).toEqual(["desktops.yml"]);
  });

  it.each(workflows)("%s validates against the GitHub workflow schema", (file) => {
    expect(validateWorkflow(read(file)).errors).toEqual([]);
  });

  it("the validator rejects a workflow with a misspelt key (so a pass means something)", () => {
    const broken = read("desktops.yml").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest");
    expect(validateWorkflow(broken).errors).not.toEqual([]);
  });

  it("previews with --json on pull requests, summarises, comments once, and runs up on main", () => {
    const workflow = read("desktops.yml");
    expect(workflow).toMatch(/pulumi preview --json/);
    expect(workflow).toMatch(/npx pulumi-ecd pr-summary preview\.json/);
    expect(workflow).toMatch(/uses: marocchino\/sticky-pull-request-comment@v2/);
    expect(workflow).toMatch(/github\.event_name == 'push' && github\.ref == 'refs\/heads\/main'/);
    expect(workflow).toMatch(/command: up/);
  });

  it("documents every secret and variable the workflow reads", () => {
    const workflow = read("desktops.yml");
    const readme = read("README.md");
    const names = [...workflow.matchAll(/\$\{\{\s*(?:secrets|vars)\.([A-Z_]+)/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    expect([...new Set(names)].filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it("names every ECD action pr-summary calls for the cost column among the permissions", async () => {
    const emu = await startEmulator();
    try {
      const preview = path.join(__dirname, "..", "cli", "fixtures", "scale-up.json");
      const io = memoryIo({
        env: {
          ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
          ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
        },
      });
      expect(await prSummaryCommand([preview], io)).toBe(0);
      expect(io.out()).toMatch(/CNY → [\d,.]+ CNY/);
      const actions = Object.keys(emu.calls.counts()).sort();
      expect(actions).toEqual(["DescribeBundles", "DescribePrice"]);
      const readme = read("README.md");
      expect(actions.filter((action) => !readme.includes(`\`ecd:${action}\``))).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  it("says how a project depends on pulumi-ecd so that npm ci works on a fresh runner", () => {
    const readme = read("README.md");
    expect(readme).toContain("`npm ci` fails");
    expect(readme).toContain('"pulumi-ecd": "file:vendor/pulumi-ecd-0.1.0.tgz"');
    expect(readme).toContain("`npm install pulumi-ecd@0.1.0`");
  });
});
