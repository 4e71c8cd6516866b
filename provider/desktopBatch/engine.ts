/**
 * Whether the Pulumi engine that started this provider is still there. Pulumi runs a dynamic provider as
 * `node …/cmd/dynamic-provider <engine address>` behind a shell wrapper, so a killed CLI leaves the provider
 * running with an unchanged parent: only the engine's own gRPC address tells. Outside that host (tests,
 * programmatic use) there is no engine to lose.
 */
import { connect } from "net";

const CONNECT_TIMEOUT_MS = 2_000;

export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  if (!/dynamic-provider/.test(script)) return undefined;
  const address = argv[2];
  return address && /^[\w.[\]:-]+:\d+$/.test(address) ? address : undefined;
}

/**
 * Resolves false when nothing listens any more at the engine's address where something listened before (an
 * address never reached is no engine to lose). Ask once at the start of a create, while the engine waits on it.
 */
export function engineReachable(address: string | undefined = engineAddress()): () => Promise<boolean> {
  let reached = false;
  return async () => {
    if (!address) return true;
    const listening = await listens(address);
    reached ||= listening;
    return listening || !reached;
  };
}

function listens(address: string): Promise<boolean> {
  {
    const cut = address.lastIndexOf(":");
    const host = address.slice(0, cut).replace(/^\[|\]$/g, "");
    const port = Number(address.slice(cut + 1));
    return new Promise((resolve) => {
      const socket = connect({ host, port });
      const done = (alive: boolean) => {
        socket.destroy();
        resolve(alive);
      };
      socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(true));
      socket.once("connect", () => done(true));
      socket.once("error", (error: NodeJS.ErrnoException) => done(error.code !== "ECONNREFUSED"));
    });
  }
}
