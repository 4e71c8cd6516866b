/** Every example is a complete Pulumi program like examples/quickstart, and `npm run lint` type-checks it. */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples");
const programs = fs
  .readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES, entry.name, "Pulumi.yaml")))
  .map((entry) => entry.name)
  .sort();
const read = (example: string, file: string): string =>
  fs.readFileSync(path.join(EXAMPLES, example, file), "utf8");

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
