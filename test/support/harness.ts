import { startEmulator, RunningEmulator, EmulatorOptions } from "../../emulator";
import { DesktopBatchProvider, DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";
import { EcdClient } from "../../provider/ecd/client";
import { Pacer } from "../../provider/ecd/pacing";
import { SteppedClock } from "./steppedClock";

export const REGION = "cn-hangzhou";
export const SIMPLE_SITE = `${REGION}+dir-0000000001`;
export const AD_SITE = `${REGION}+dir-0000000002`;
export const WIN_BUNDLE = "b-win-office-4c8g";

export interface Harness {
  emu: RunningEmulator;
  provider: DesktopBatchProvider;
  logs: string[];
  /** check() then create(), asserting check found nothing wrong. */
  createBatch(
    inputs: DesktopBatchInputs,
  ): Promise<{ id: string; outs: DesktopBatchOutputs; inputs: DesktopBatchInputs }>;
  checked(inputs: DesktopBatchInputs): Promise<DesktopBatchInputs>;
  /** check() of a created batch's inputs with `patch`, then update() from `olds` (its outputs by default). */
  updateBatch(
    batch: { id: string; outs: DesktopBatchOutputs; inputs: DesktopBatchInputs },
    patch: DesktopBatchInputs,
    olds?: DesktopBatchOutputs,
  ): Promise<DesktopBatchOutputs>;
  /** read(): what a refresh records. */
  refresh(id: string, props: DesktopBatchOutputs): Promise<DesktopBatchOutputs>;
  /** The emulator's live desktops (as DescribeDesktops renders them). */
  live(): ReturnType<RunningEmulator["backend"]["describeDesktops"]>;
  count(action: string): number;
  /** Desktops made outside any DesktopBatch (by the console, say), Running, in creation order. */
  unmanaged(
    amount: number,
    desktopName?: string,
    extra?: Partial<Parameters<EcdClient["createDesktops"]>[0]>,
  ): Promise<string[]>;
  /** A client of the same account, for what a test does behind the provider's back. */
  client: EcdClient;
  close(): Promise<void>;
}

let tokenCounter = 0;
export const newToken = (): string => (++tokenCounter).toString(16).padStart(32, "a");

/** Lifecycles of tens of milliseconds: what a test waits for is there almost at once. */
export const SHORT_DURATIONS = {
  createMs: 60,
  startMs: 30,
  stopMs: 30,
  deleteMs: 30,
  entitlementMs: 30,
  chargeTypeMs: 30,
  specMs: 30,
  rebuildMs: 30,
};

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({
    durations: SHORT_DURATIONS,
    ...options,
  });
  const logs: string[] = [];
  const provider = new DesktopBatchProvider({
    settings: { credentials: emu.credentials[0], region: REGION, endpoint: emu.url },
    poll: { intervalMs: 10, maxIntervalMs: 40, progressEveryMs: 0, log: (line) => logs.push(line) },
    // Its own pacing budget on a stepped clock: injected throttling costs no real time and stays in this harness.
    client: { retry: { baseDelayMs: 1, maxDelayMs: 10 }, pacer: new Pacer({ clock: new SteppedClock() }) },
    lease: { lostAnswerWindowMs: 200 },
  });
  const checked = async (inputs: DesktopBatchInputs) => {
    const result = await provider.check({}, inputs);
    if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
    return result.inputs as DesktopBatchInputs;
  };
  const client = new EcdClient({
    regionId: REGION,
    credentials: emu.credentials[0],
    endpoint: emu.url,
    retry: { baseDelayMs: 1, maxDelayMs: 10 },
  });
  return {
    emu,
    provider,
    client,
    async unmanaged(amount, desktopName = "console", extra = {}) {
      const { desktopId } = await client.createDesktops({
        officeSiteId: SIMPLE_SITE,
        bundleId: WIN_BUNDLE,
        policyGroupId: "system-all-enabled-policy",
        desktopName,
        amount,
        ...extra,
      });
      for (;;) {
        const desktops = await client.describeAllDesktops({ desktopIds: desktopId });
        if (desktops.every((d) => d.desktopStatus === "Running")) return desktopId;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    logs,
    checked,
    async updateBatch({ id, outs, inputs }, patch, olds = outs) {
      const news = await checked({ ...inputs, ...patch });
      return (await provider.update(id, olds, news)).outs as DesktopBatchOutputs;
    },
    async refresh(id, props) {
      return (await provider.read(id, props)).props as DesktopBatchOutputs;
    },
    async createBatch(inputs) {
      const final = await checked({ lineage: newToken(), ...inputs });
      const { id, outs } = await provider.create(final);
      return { id, outs: outs as DesktopBatchOutputs, inputs: final };
    },
    live: () => emu.backend.describeDesktops(REGION),
    count: (action) => emu.calls.counts()[action] ?? 0,
    close: () => emu.close(),
  };
}

export const baseInputs = (extra: DesktopBatchInputs = {}): DesktopBatchInputs => ({
  officeSiteId: SIMPLE_SITE,
  bundleId: WIN_BUNDLE,
  policyGroupId: "system-all-enabled-policy",
  desktopName: "dev",
  ...extra,
});

/** Runs a test body against a fresh emulator and provider, closing them however the body ends. */
export async function withHarness(
  body: (h: Harness) => Promise<void>,
  options: EmulatorOptions = {},
): Promise<void> {
  const h = await startHarness(options);
  try {
    await body(h);
  } finally {
    await h.close();
  }
}
