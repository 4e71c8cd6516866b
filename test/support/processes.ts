/**
 * Other provider processes against a harness's emulator: another machine running the same stack, a rerun after a
 * kill, and a run that dies after CreateDesktops.
 */
import { DesktopBatchProvider, DesktopBatchInputs } from "../../provider";
import { Harness, REGION } from "./harness";

type Options = NonNullable<ConstructorParameters<typeof DesktopBatchProvider>[0]>;

/** A fresh provider process with its own log (and, unless given, the harness's fast polling). */
export function otherProcess(h: Harness, options: Options = {}) {
  const logs: string[] = [];
  const provider = new DesktopBatchProvider({
    settings: { credentials: h.emu.credentials[0], region: REGION, endpoint: h.emu.url },
    ...options,
    client: { retry: { baseDelayMs: 1, maxDelayMs: 10 }, pacer: false, ...options.client },
    poll: {
      intervalMs: 10,
      maxIntervalMs: 40,
      progressEveryMs: 0,
      log: (line) => logs.push(line),
      ...options.poll,
    },
  });
  return { provider, logs };
}

/** A rerun whose clock is past any hold a killed run set. */
export const laterRun = (h: Harness) => otherProcess(h, { lease: { now: () => Date.now() + 3_600_000 } });

export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error("condition never held");
}

/**
 * Starts a create in a provider process that then dies (its waits never return), the way SIGKILL of the CLI
 * leaves it: CreateDesktops applied, nothing recorded by Pulumi. Resolves once `live` desktops exist.
 */
export async function killedCreate(h: Harness, inputs: DesktopBatchInputs, live: number): Promise<void> {
  const { provider } = otherProcess(h, { poll: { sleep: () => new Promise<void>(() => undefined) } });
  void provider.create(inputs).catch(() => undefined);
  await until(() => h.live().length >= live);
}
