/** docs/support.md's table says what CI runs: the versions in .ci/run, package.json, .nvmrc and scripts/get-node.sh. */
import { readFileSync } from "fs";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");
const read = (file: string): string => readFileSync(join(ROOT, file), "utf8");

function assignment(text: string, name: string): string {
  const match = new RegExp(`^${name}="?([^"\\s]+)"?`, "m").exec(text);
  if (!match) throw new Error(`no ${name}= found`);
  return match[1];
}

describe("the support table and what CI runs", () => {
  const ci = read(".ci/run");
  const pkg = JSON.parse(read("package.json")) as {
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const current = assignment(ci, "NODE_CURRENT");
  const oldestNode = assignment(ci, "NODE_OLDEST");
  const oldestPulumi = assignment(ci, "PULUMI_OLDEST");
  const newestPulumi = pkg.devDependencies["@pulumi/pulumi"];
  const ciRows = read("docs/support.md")
    .split("\n")
    .filter((line) => line.startsWith("|") && line.includes("CI, every run"))
    .map((line) => line.split("|").map((cell) => cell.trim()));

  it("develops on the Node.js CI runs the whole suite on: .nvmrc, @types/node and get-node.sh's default", () => {
    const major = current.split(".")[0];
    expect({
      nvmrc: read(".nvmrc").trim(),
      typesNode: pkg.devDependencies["@types/node"].split(".")[0],
      getNodeDefault: /version="\$\{1:-([^}]+)\}"/.exec(read("scripts/get-node.sh"))?.[1],
    }).toEqual({ nvmrc: major, typesNode: major, getNodeDefault: current });
  });

  it("tests the lower end of the peer range, on the oldest Node.js", () => {
    expect(pkg.peerDependencies["@pulumi/pulumi"]).toMatch(
      new RegExp(`^>=${oldestPulumi.replace(/\./g, "\\.")} `),
    );
    expect(ciRows.map((row) => [row[1], row[2].split(" ")[0]])).toContainEqual([oldestNode, oldestPulumi]);
  });

  it("lists exactly the combinations CI runs, the newest @pulumi/pulumi on the current Node.js among them", () => {
    expect(new Set(ciRows.map((row) => `${row[1]} ${row[2].split(" ")[0]}`))).toEqual(
      new Set([`${current} ${newestPulumi}`, `${oldestNode} ${oldestPulumi}`]),
    );
  });
});
