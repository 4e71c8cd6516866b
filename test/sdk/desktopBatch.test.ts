import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { ChargeType, DesktopBatch, DesktopBatchArgs, DiskCategory, types } from "../../sdk";
import { lineageFor } from "../../sdk/lineage";
import { desktopBatchResource, loadDesktopBatchSchema } from "../../schema";
import { PROJECT, RecordingMocks, useMocks, valueOf } from "./mocks";

const TYPE = "pulumi-nodejs:dynamic/ecd:DesktopBatch";

function expectedLineage(stack: string, name: string): string {
  const where = `/${PROJECT}/${stack}`; // mocks without an organization
  return createHash("sha256").update(`${where}/${name}`).digest("hex").slice(0, 32);
}

const everyKind = {
  officeSiteId: "cn-hangzhou+dir-3878221234",
  regionId: "cn-hangzhou",
  amount: 4,
  desktopName: pulumi.output("dev-desktop"),
  chargeType: ChargeType.PrePaid,
  period: 1,
  periodUnit: "Month",
  autoRenew: false,
  userAssignMode: "PER_USER",
  endUserIds: ["alice", pulumi.output("bob")],
  tags: { team: "eng", cost: pulumi.output("42") },
  userCommands: [{ content: "ZWNobyBoaQ==", contentEncoding: "Base64", contentType: "RunShellScript" }],
  desktopAttachment: {
    desktopType: "eds.enterprise_office.4c8g",
    imageId: "m-39ddhdb0ggzjx1234",
    systemDiskCategory: DiskCategory.CloudEssd,
    systemDiskSize: 80,
    systemDiskPerLevel: "PL1",
  },
  desktopTimers: [{ timerType: "NoConnect", interval: 30, operationType: "Hibernate", enforce: true }],
  timeouts: { create: "45m" },
  releaseSubscriptionOnDelete: true,
} satisfies DesktopBatchArgs;

describe("DesktopBatch under Pulumi's runtime mocks", () => {
  let mocks: RecordingMocks;

  beforeEach(async () => {
    mocks = await useMocks("dev");
  });

  it("registers the dynamic resource type pulumi-nodejs:dynamic/ecd:DesktopBatch", async () => {
    const batch = new DesktopBatch("typed", { officeSiteId: "os-1" });
    await valueOf(batch.urn);
    expect(mocks.registered("typed").type).toBe(TYPE);
    expect(DesktopBatch.__pulumiType).toBe(TYPE);
  });

  it("refuses the `import` resource option with one clean sentence naming what works instead", async () => {
    const importing = () =>
      new DesktopBatch("old-desktops", { officeSiteId: "os-1" }, { import: "ecd-batch-0123456789abcdef" });
    expect(importing).toThrow(pulumi.RunError);
    expect(importing).toThrow(
      "DesktopBatch old-desktops: the `import` resource option cannot work for a DesktopBatch (a Pulumi dynamic " +
        "resource: Pulumi has no provider code for it until it is created). To take existing desktops over, list " +
        "them in adoptDesktopIds (with amount at least their number); to refer to a batch that another stack " +
        "manages, use DesktopBatch.get(name, id). See docs/import.md.",
    );
  });

  it("passes every kind of input through: scalars, enums, arrays, the tag map and nested objects", async () => {
    const batch = new DesktopBatch("every-kind", everyKind);
    await valueOf(batch.urn);
    const inputs = mocks.registered("every-kind").inputs;
    expect(inputs).toMatchObject({
      officeSiteId: "cn-hangzhou+dir-3878221234",
      regionId: "cn-hangzhou",
      amount: 4,
      desktopName: "dev-desktop",
      chargeType: "PrePaid",
      period: 1,
      periodUnit: "Month",
      autoRenew: false,
      userAssignMode: "PER_USER",
      endUserIds: ["alice", "bob"],
      tags: { team: "eng", cost: "42" },
      desktopAttachment: {
        desktopType: "eds.enterprise_office.4c8g",
        imageId: "m-39ddhdb0ggzjx1234",
        systemDiskCategory: "cloud_essd",
        systemDiskSize: 80,
        systemDiskPerLevel: "PL1",
      },
      desktopTimers: [{ timerType: "NoConnect", interval: 30, operationType: "Hibernate", enforce: true }],
      timeouts: { create: "45m" },
      releaseSubscriptionOnDelete: true,
    });
    expect(inputs.userCommands).toEqual({
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: everyKind.userCommands,
    });
  });

  it("fills the schema's top-level defaults and nothing else", async () => {
    const batch = new DesktopBatch("defaults", { officeSiteId: "os-1" });
    await valueOf(batch.urn);
    const { __provider, lineage, ...inputs } = mocks.registered("defaults").inputs;
    const defaults = Object.fromEntries(
      Object.entries(desktopBatchResource(loadDesktopBatchSchema()).inputProperties)
        .filter(([, property]) => property.default !== undefined)
        .map(([name, property]) => [name, property.default]),
    );
    expect(inputs).toEqual({ officeSiteId: "os-1", ...defaults });
    // amount has no schema default: the provider takes 1, or the sum of bundleModels.
    expect(defaults).toEqual({
      chargeType: "PostPaid",
      userAssignMode: "ALL",
      desktopNameSuffix: true,
      volumeEncryptionEnabled: false,
      releaseSubscriptionOnDelete: false,
      stoppedMode: "StopCharging",
      dataDiskOnRebuild: "keep",
    });
    expect(typeof __provider).toBe("string");
    expect(typeof lineage).toBe("string");
  });

  it("marks userCommands as an additional secret output, so the provider's echo stays secret", async () => {
    let registeredOpts: pulumi.CustomResourceOptions | undefined;
    const batch = new DesktopBatch("secret", everyKind, {
      transformations: [({ opts }) => void (registeredOpts = opts)],
    });
    expect(registeredOpts?.additionalSecretOutputs).toEqual(["userCommands"]);
    expect(await pulumi.isSecret(batch.userCommands)).toBe(true);
    expect(await valueOf(batch.userCommands)).toEqual(everyKind.userCommands);
    expect(await pulumi.isSecret(batch.officeSiteId)).toBe(false);
  });

  it("makes every output readable, including the output-only ones", async () => {
    const batch = new DesktopBatch("outputs", everyKind);
    const outputs = Object.keys(desktopBatchResource(loadDesktopBatchSchema()).properties);
    for (const name of outputs) {
      expect(pulumi.Output.isInstance((batch as unknown as Record<string, unknown>)[name])).toBe(true);
    }
    expect(await valueOf(batch.amount)).toBe(4);
    expect(await valueOf(batch.desktopIds)).toBeUndefined();
  });

  // Pulumi stores this text in the state of every DesktopBatch: it must not carry the implementation.
  it("serializes a tiny provider that loads pulumi-ecd/provider at run time", async () => {
    const batch = new DesktopBatch("provider", { officeSiteId: "os-1" });
    await valueOf(batch.urn);
    const serialized: unknown = mocks.registered("provider").inputs.__provider;
    expect(typeof serialized).toBe("string");
    expect(serialized).toContain('require("pulumi-ecd/provider")');
    expect(Buffer.byteLength(serialized as string)).toBeLessThan(4096);
  });

  it("rejects a missing required input with a message naming it", () => {
    expect(() => new DesktopBatch("missing", {} as DesktopBatchArgs)).toThrow(
      "Missing required property 'officeSiteId'",
    );
  });

  it("recognises its instances, also across copies of the SDK, by the __pulumiType marker", () => {
    const batch = new DesktopBatch("instance", { officeSiteId: "os-1" });
    expect(DesktopBatch.isInstance(batch)).toBe(true);
    expect(DesktopBatch.isInstance({ __pulumiType: TYPE })).toBe(true);
    expect(DesktopBatch.isInstance(new pulumi.ComponentResource("test:index:Other", "other"))).toBe(false);
    expect(DesktopBatch.isInstance({})).toBe(false);
    expect(DesktopBatch.isInstance(undefined)).toBe(false);
    expect(DesktopBatch.isInstance(null)).toBe(false);
  });

  it("looks up an existing batch by ID with get, passing the given state and the provider", async () => {
    const state = { regionId: "cn-shanghai", desktopIds: ["ecd-abc123"], lineage: "a".repeat(32) };
    const existing = DesktopBatch.get("existing", "batch-42", state);
    expect(await valueOf(existing.id)).toBe("batch-42");
    const read = mocks.registered("existing");
    expect(read).toMatchObject({ type: TYPE, id: "batch-42", inputs: state });
    expect(typeof read.inputs.__provider).toBe("string");
    expect(DesktopBatch.isInstance(existing)).toBe(true);
  });

  it("exports the object types and enums under `types` as in Pulumi SDKs", () => {
    const command: types.input.UserCommand = {
      content: "ls",
      contentType: types.enums.ContentType.RunShellScript,
    };
    expect(command.contentType).toBe("RunShellScript");
    expect(types.enums.ChargeType).toBe(ChargeType);
  });
});

describe("lineage", () => {
  it("is the first 32 hex characters of sha256(organization/project/stack/name) and fits the schema's pattern", async () => {
    const mocks = await useMocks("dev");
    const batch = new DesktopBatch("tokened", { officeSiteId: "os-1" });
    await valueOf(batch.urn);
    const token = mocks.registered("tokened").inputs.lineage;
    expect(token).toBe(expectedLineage("dev", "tokened"));
    const pattern = desktopBatchResource(loadDesktopBatchSchema()).inputProperties.lineage["x-ecd"]?.validate;
    expect(token).toMatch(new RegExp(pattern?.pattern ?? "^$"));
  });

  it("is the same every time for the same organization, project, stack and name", async () => {
    await useMocks("dev");
    expect(lineageFor("a")).toBe(lineageFor("a"));
    expect(lineageFor("a")).toBe(expectedLineage("dev", "a"));
  });

  it("differs per resource name and per stack", async () => {
    await useMocks("dev");
    const dev = [lineageFor("a"), lineageFor("b")];
    await useMocks("prod");
    const prod = [lineageFor("a"), lineageFor("b")];
    expect(new Set([...dev, ...prod]).size).toBe(4);
  });

  it("differs per organization for the same project, stack and name", async () => {
    await useMocks("dev", "team-a");
    const a = lineageFor("a");
    await useMocks("dev", "team-b");
    expect(lineageFor("a")).not.toBe(a);
  });

  it("differs for the same name under two parents (a component used twice)", async () => {
    const mocks = await useMocks("dev");
    class Team extends pulumi.ComponentResource {
      readonly desktops: DesktopBatch;
      constructor(name: string) {
        super("test:index:Team", name);
        this.desktops = new DesktopBatch("desktops", { officeSiteId: "os-1" }, { parent: this });
        this.registerOutputs({});
      }
    }
    const teams = [new Team("red"), new Team("blue")];
    await Promise.all(teams.map((team) => valueOf(team.desktops.urn)));
    const tokens = mocks.resources.filter((r) => r.name === "desktops").map((r) => r.inputs.lineage);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it("can be pinned by the program, e.g. to keep it across a rename", async () => {
    const mocks = await useMocks("dev");
    const pinned = "0123456789abcdef0123456789abcdef";
    const batch = new DesktopBatch("renamed", { officeSiteId: "os-1", lineage: pinned });
    await valueOf(batch.urn);
    expect(mocks.registered("renamed").inputs.lineage).toBe(pinned);
  });

  it("carries the lineage of every alias, so a create interrupted under the old name, parent, stack or project is found", async () => {
    const mocks = await useMocks("dev");
    class Team extends pulumi.ComponentResource {
      constructor(name: string) {
        super("test:index:Team", name);
        this.registerOutputs({});
      }
    }
    const team = new Team("red");
    const moved = new DesktopBatch(
      "desktops",
      { officeSiteId: "os-1" },
      {
        parent: team,
        aliases: [
          { name: "fleet", parent: pulumi.rootStackResource },
          { stack: "staging", parent: pulumi.rootStackResource },
          `urn:pulumi:dev::${PROJECT}::pulumi-nodejs:dynamic/ecd:DesktopBatch::old`,
        ],
      },
    );
    await valueOf(moved.urn);
    const inputs = mocks.registered("desktops").inputs;
    expect(inputs.aliasLineages).toEqual([
      expectedLineage("dev", "fleet"),
      expectedLineage("staging", "desktops"),
      expectedLineage("dev", "old"),
    ]);
    expect(inputs.lineage).not.toBe(expectedLineage("dev", "desktops"));
  });

  it("has no alias lineages without aliases", async () => {
    const mocks = await useMocks("dev");
    await valueOf(new DesktopBatch("plain", { officeSiteId: "os-1" }).urn);
    expect(mocks.registered("plain").inputs.aliasLineages).toBeUndefined();
  });
});
