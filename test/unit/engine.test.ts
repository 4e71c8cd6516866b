import { createServer } from "net";
import { engineAddress, engineReachable } from "../../provider/desktopBatch/engine";

describe("is the Pulumi engine still there", () => {
  it("reads the engine address only when running as Pulumi's dynamic-provider host", () => {
    expect(engineAddress(["node", "/x/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:40123"])).toBe(
      "127.0.0.1:40123",
    );
    expect(engineAddress(["node", "/x/jest/bin/jest.js", "127.0.0.1:40123"])).toBeUndefined();
    expect(engineAddress(["node", "/x/cmd/dynamic-provider", "--flag"])).toBeUndefined();
  });

  it("is reachable while something listens at the address and not once it is gone", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const alive = engineReachable(`127.0.0.1:${port}`);
    expect(await alive()).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await alive()).toBe(false);
  });

  it("outside the host, or at an address never reached, there is no engine to lose", async () => {
    expect(await engineReachable(undefined)()).toBe(true);
    expect(await engineReachable("127.0.0.1:1")()).toBe(true);
  });
});
