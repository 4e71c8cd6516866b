/** `npm run bench -- --fleet` rewrites only its own section of docs/benchmarks.md. */
import { FLEET_HEADING, spliceFleet } from "../../scripts/bench/fleetReport";

const section = `${FLEET_HEADING}\n\nnew figures\n`;

describe("spliceFleet", () => {
  test("replaces the fleet section and keeps what follows it", () => {
    const doc = `# Benchmarks\n\n${FLEET_HEADING}\n\nold figures\n\n## Memory\n\nmemory\n`;
    expect(spliceFleet(doc, section)).toBe(
      `# Benchmarks\n\n${FLEET_HEADING}\n\nnew figures\n\n## Memory\n\nmemory\n`,
    );
  });

  test("puts a first fleet section before Memory", () => {
    const doc = "# Benchmarks\n\n## Side by side\n\nrows\n\n## Memory\n\nmemory\n";
    expect(spliceFleet(doc, section)).toBe(
      `# Benchmarks\n\n## Side by side\n\nrows\n\n${FLEET_HEADING}\n\nnew figures\n\n## Memory\n\nmemory\n`,
    );
  });
});
