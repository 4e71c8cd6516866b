/**
 * @pulumi/pulumi's dynamic-provider host prints every error a provider method throws to stderr, as
 * `${error}: ${error.stack}`, before it hands the same error to the engine — which shows it on the resource and
 * again in the summary. So a user read each refusal twice more: doubled, with stack lines, under the stack. The
 * engine's copy is the one that belongs to the resource; this drops the host's echo of exactly those errors.
 */
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

type Method = (...args: unknown[]) => Promise<unknown>;

export function withoutHostEcho<T extends object>(provider: T, sink: Pick<Console, "error"> = console): T {
  const echoes = new Set<string>();
  const print = sink.error.bind(sink);
  sink.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && echoes.delete(args[0])) return;
    print(...args);
  };
  const target = provider as unknown as Record<string, Method>;
  for (const name of METHODS) {
    const method = target[name];
    if (typeof method !== "function") continue;
    target[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(provider, args);
      } catch (error) {
        if (error instanceof Error) echoes.add(`${String(error)}: ${error.stack}`);
        throw error;
      }
    };
  }
  return provider;
}
