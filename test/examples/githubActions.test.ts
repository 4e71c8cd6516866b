/**
 * The GitHub Actions example is valid against GitHub's workflow schema (SchemaStore's github-workflow.json as
 * embedded in @action-validator/core, offline), and does what its README promises.
 */
import * as fs from "fs";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";

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
});
