/**
 * Every TypeScript example is a complete Pulumi program like examples/quickstart, and `npm run lint` type-checks
 * it. The YAML, Python and Go examples run in the end-to-end suite (test/e2e/languages.test.ts).
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples");
const read = (example: string, file: string): string =>
  fs.readFileSync(path.join(EXAMPLES, example, file), "utf8");
const programs = fs
  .readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES, entry.name, "Pulumi.yaml")))
  .map((entry) => entry.name)
  .filter((example) => /^runtime: nodejs$/m.test(read(example, "Pulumi.yaml")))
  .sort();

describe("examples", () => {
  it("include the subscription and encrypted programs beside the first three", () => {
    expect(programs).toEqual([
      "encrypted",
      "large-batch",
      "per-user-tags",
      "power-schedule",
      "quickstart",
      "subscription",
    ]);
  });

  it.each(programs)(
    "%s has Pulumi.yaml, package.json, tsconfig.json and index.ts wired together",
    (example) => {
      expect(read(example, "Pulumi.yaml")).toMatch(/^runtime: nodejs$/m);
      expect(JSON.parse(read(example, "package.json"))).toMatchObject({ main: "index.ts", private: true });
      expect(JSON.parse(read(example, "tsconfig.json"))).toEqual({
        extends: "../tsconfig.json",
        files: ["index.ts"],
      });
      expect(read(example, "index.ts")).toMatch(/from "pulumi-ecd"/);
    },
  );

  it("are type-checked by npm run lint (the root tsconfig includes them)", () => {
    const lint = (
      JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts.lint;
    expect(lint).toContain("tsc -p tsconfig.json --noEmit");
    expect(
      (JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as { include: string[] })
        .include,
    ).toContain("examples");
  });
});

describe("examples in other languages", () => {
  it("yaml declares an ecd:index:DesktopBatch, the plugin's token", () => {
    expect(read("yaml", "Pulumi.yaml")).toMatch(/^runtime: yaml$/m);
    expect(read("yaml", "Pulumi.yaml")).toMatch(/^ {4}type: ecd:index:DesktopBatch$/m);
  });

  it("python uses the generated pulumi_ecd package, with every requirement pinned", () => {
    expect(read("python", "Pulumi.yaml")).toMatch(/^runtime: python$/m);
    expect(read("python", "__main__.py")).toMatch(/^import pulumi_ecd as ecd$/m);
    const requirements = read("python", "requirements.txt")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(requirements.filter((line) => !/^[A-Za-z0-9_.-]+==[^=<>~]+$/.test(line))).toEqual([]);
  });

  it("go is an Automation API program using the generated Go SDK from this checkout", () => {
    expect(read("go", "main.go")).toMatch(/auto\.UpsertStackInlineSource/);
    expect(read("go", "go.mod")).toMatch(
      /^replace github\.com\/pulumi-ecd\/pulumi-ecd\/sdk\/go => \.\.\/\.\.\/sdk\/go$/m,
    );
  });
});
