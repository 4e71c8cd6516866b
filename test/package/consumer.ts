/** Files of the throw-away consumer project that installs the packed tarball. */

export const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ChargeType, DesktopBatch, DesktopBatchArgs, types } from "pulumi-ecd";

const args: DesktopBatchArgs = {
  officeSiteId: "cn-hangzhou+dir-1",
  regionId: "cn-hangzhou",
  amount: 2,
  desktopName: pulumi.output("packed"),
  chargeType: ChargeType.PrePaid,
  period: 1,
  periodUnit: "Month",
  autoPay: true,
  userAssignMode: "PER_USER",
  endUserIds: ["alice", pulumi.output("bob")],
  tags: { team: "eng", cost: pulumi.output("42") },
  userCommands: [{ content: "ZWNobw==", contentEncoding: types.enums.ContentEncoding.Base64 }],
  bundleModels: [{ bundleId: "b-1", amount: 2, endUserIds: ["alice"] }],
  desktopAttachment: { desktopType: "eds.enterprise_office.4c8g", imageId: "m-1", systemDiskSize: 80 },
  desktopTimers: [{ timerType: "NoConnect", interval: 30, operationType: "Hibernate" }],
  monthDesktopSetting: { useDuration: 1 },
  timeouts: { create: "45m" },
  releaseSubscriptionOnDelete: false,
};

export const batch = new DesktopBatch("batch", args);
export const firstStatus: pulumi.Output<string | undefined> = batch.desktops.apply(
  (desktops: types.output.Desktop[]) => desktops[0]?.desktopStatus,
);

export function typeErrors(): void {
  // @ts-expect-error: not a ChargeType
  new DesktopBatch("bad", { officeSiteId: "x", chargeType: "Monthly" });
  // @ts-expect-error: officeSiteId is required
  new DesktopBatch("bad", {});
  // @ts-expect-error: a tag value is a string
  new DesktopBatch("bad", { officeSiteId: "x", tags: { n: 1 } });
}
`;

/** Runs program.ts under Pulumi's runtime mocks and prints the registrations and an output, as JSON. */
export const RUN_WITH_MOCKS = `const fs = require("fs");
const ts = require("typescript");
const pulumi = require("@pulumi/pulumi");

const registered = [];
const mocks = {
  newResource: (args) => {
    registered.push(args);
    const desktops = [{ desktopId: "ecd-1", desktopStatus: "Running", endUserIds: ["alice"] }];
    return { id: args.name + "-id", state: { ...args.inputs, desktopIds: ["ecd-1"], desktops } };
  },
  call: (args) => args.inputs,
};

(async () => {
  await pulumi.runtime.setMocks(mocks, "consumer", "dev", false);
  const { outputText } = ts.transpileModule(fs.readFileSync("program.ts", "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  fs.writeFileSync("program.js", outputText);
  const program = require("./program.js");
  const firstStatus = await new Promise((resolve) => program.firstStatus.apply(resolve));
  console.log(JSON.stringify({ registered, firstStatus }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

export interface Subpath {
  readonly name: "provider" | "emulator";
  /** The repository source whose absence means the module is not written yet. */
  readonly source: string;
  /** A consumer file that must type-check against the packed declarations. */
  readonly program: string;
  /** Node code printing `true` when the module loads with what the SDK expects of it. */
  readonly loads: string;
}

export const SUBPATHS: readonly Subpath[] = [
  {
    name: "provider",
    source: "provider/index.ts",
    // The SDK's serialized proxy calls exactly this.
    program:
      'import { desktopBatchProvider } from "pulumi-ecd/provider";\n' +
      "export const check: unknown = desktopBatchProvider().check;\n",
    loads: 'console.log(typeof require("pulumi-ecd/provider").desktopBatchProvider === "function")',
  },
  {
    name: "emulator",
    source: "emulator/index.ts",
    program:
      'import * as emulator from "pulumi-ecd/emulator";\nexport const names: string[] = Object.keys(emulator);\n',
    loads: 'console.log(Object.keys(require("pulumi-ecd/emulator")).length > 0)',
  },
];
