/**
 * Face 1, the dynamic provider: `pulumi-ecd`'s SDK (sdk/) registers a `pulumi.dynamic.Resource` whose serialized
 * proxy loads `pulumi-ecd/provider` in Pulumi's dynamic-provider host and calls this per-process instance of the
 * core. The core's operations take the host's shapes as they are; the core's defaults are this face's: progress
 * on the console, the dynamic host's engine address probed (provider/desktopBatch/engine.ts), `__provider` kept.
 * Face 2, the resource plugin, is provider/plugin/.
 */
import { DesktopBatchProvider } from "../desktopBatch/provider";

let instance: DesktopBatchProvider | undefined;

/** The per-process provider the SDK's serialized proxy calls into. */
export function desktopBatchProvider(): DesktopBatchProvider {
  instance ??= new DesktopBatchProvider();
  return instance;
}
