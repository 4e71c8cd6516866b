import { readFileSync } from "fs";
import { join } from "path";
import { loadDesktopBatchSchema } from "../../schema";
import { PLUGIN_SCHEMA_PATH, pluginSchema } from "../../scripts/gen/pluginSchema";

const ROOT = join(__dirname, "..", "..");
const served = JSON.parse(readFileSync(join(ROOT, PLUGIN_SCHEMA_PATH), "utf8")) as Record<string, unknown>;

function walk(value: unknown, visit: (key: string, inner: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((item) => walk(item, visit));
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      visit(key, inner);
      walk(inner, visit);
    }
  }
}

describe("the plugin's package schema", () => {
  it("is what the generator derives from schema/desktop-batch.schema.json", () => {
    expect(served).toEqual(pluginSchema(loadDesktopBatchSchema()));
  });

  it("names package ecd, resource ecd:index:DesktopBatch and only three-part type tokens", () => {
    expect(served.name).toBe("ecd");
    expect(Object.keys(served.resources as object)).toEqual(["ecd:index:DesktopBatch"]);
    for (const token of Object.keys(served.types as object)) expect(token).toMatch(/^ecd:index:[A-Z]\w+$/);
    const refs: string[] = [];
    walk(served, (key, inner) => key === "$ref" && refs.push(inner as string));
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/types\/ecd:index:\w+$/);
      expect(Object.keys(served.types as object)).toContain(ref.slice("#/types/".length));
    }
  });

  it("declares the ecd:* config, credentials secret, and the same settings on the provider resource", () => {
    const variables = (served.config as { variables: Record<string, { secret?: boolean }> }).variables;
    expect(Object.keys(variables)).toEqual([
      "accessKeyId",
      "accessKeySecret",
      "securityToken",
      "region",
      "endpoint",
    ]);
    expect(variables.accessKeySecret.secret).toBe(true);
    expect(variables.securityToken.secret).toBe(true);
    expect(variables.region.secret).toBeUndefined();
    expect((served.provider as { inputProperties: unknown }).inputProperties).toEqual(variables);
  });

  it("leaves out what only the dynamic face has: the timeouts and lineage inputs and the x-ecd extensions", () => {
    type Property = { type?: string; description: string; secret?: boolean };
    const batch = (served.resources as Record<string, Record<string, Record<string, Property>>>)[
      "ecd:index:DesktopBatch"
    ];
    expect(batch.inputProperties.timeouts).toBeUndefined();
    expect(batch.inputProperties.lineage).toBeUndefined();
    expect(batch.properties.lineage).toMatchObject({ type: "string" });
    expect((served.types as object)["ecd:index:Timeouts" as keyof object]).toBeUndefined();
    walk(served, (key) => expect(key).not.toMatch(/^x-/));
    expect(JSON.stringify(served)).not.toContain("alicloud:");
    expect(batch.inputProperties.regionId.description).toContain("`ecd:region`");
    expect(batch.inputProperties.userCommands.secret).toBe(true);
    expect(batch.properties.userCommands.secret).toBe(true);
  });
});
