import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";
import { DesktopBatchProvider } from "../../provider/desktopBatch/provider";

const ROOT = join(__dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const importsOf = (path: string): string[] =>
  [...readFileSync(path, "utf8").matchAll(/(?:from|require\()\s*"([^"]+)"/g)].map((match) => match[1]);

describe("one core, two faces", () => {
  it("the core (provider/desktopBatch, provider/ecd) imports nothing from @pulumi/pulumi", () => {
    const offending = [
      ...sources(join(ROOT, "provider/desktopBatch")),
      ...sources(join(ROOT, "provider/ecd")),
    ]
      .map((path) => ({
        file: relative(ROOT, path),
        pulumi: importsOf(path).filter((name) => name.startsWith("@pulumi/")),
      }))
      .filter((entry) => entry.pulumi.length > 0);
    expect(offending).toEqual([]);
  });

  it("the plugin face reaches the core only through its lifecycle, never the dynamic SDK", () => {
    for (const path of sources(join(ROOT, "provider/plugin"))) {
      for (const name of importsOf(path)) {
        expect({ file: relative(ROOT, path), name }).not.toMatchObject({
          name: expect.stringMatching(/^(\.\.\/)+sdk|pulumi-ecd$|@pulumi\/pulumi\/(dynamic|provider)$/),
        });
      }
    }
  });
});

describe("the lifecycle reads top to bottom", () => {
  it("DesktopBatchProvider holds the seven operations and the wiring they share, no lifecycle mechanics", () => {
    // The mechanics (converging, releasing, recording a partial failure) live in core modules of their own, so a
    // change of behaviour is made once for both faces.
    const methods = Object.getOwnPropertyNames(DesktopBatchProvider.prototype).sort();
    expect(methods).toEqual(
      [
        "constructor",
        "configure",
        "check",
        "diff",
        "create",
        "read",
        "update",
        "delete",
        // the wiring: one session per operation, one client per region, an ID's owner, the default region, and
        // change notes said once per Pulumi command
        "session",
        "client",
        "identityOf",
        "defaultRegion",
        "note",
      ].sort(),
    );
  });

  it("the faces reach the core through its operations, never its mechanics", () => {
    const mechanics =
      /desktopBatch\/(session|waiter|attributes|converge|release|partial|refresh|adoptionPreview|interruptedElsewhere|desired|createRequests)(\/|$)/;
    for (const face of ["provider/dynamic", "provider/plugin"]) {
      for (const path of sources(join(ROOT, face))) {
        for (const name of importsOf(path)) {
          expect({ file: relative(ROOT, path), name }).not.toMatchObject({
            name: expect.stringMatching(mechanics),
          });
        }
      }
    }
  });
});
