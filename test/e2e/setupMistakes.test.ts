/**
 * Set-up mistakes through the real Pulumi CLI: a plain `pulumi preview` — what a pull request runs — fails with
 * a non-zero exit and the same sentence `pulumi up` prints, before anything is created.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";
import { Fleet } from "./fleet";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;

describeE2E("a preview with a set-up mistake", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
  });
  afterAll(async () => emu?.close());

  it("fails with a wrong access key secret, naming the setting, and up fails with the same sentence", async () => {
    const fleet = new Fleet(cliDir!, emu, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-secret" });
    await fleet.init();
    const sentence =
      /error: pulumi-nodejs:dynamic\/ecd:DesktopBatch resource 'fleet' has a problem: DescribeOfficeSites failed at http:\/\/127\.0\.0\.1:\d+: the access key secret does not match the access key ID; check alicloud:secretKey or ALIBABA_CLOUD_ACCESS_KEY_SECRET \(SignatureDoesNotMatch, HTTP 400, request id [\w-]+\)/;
    const preview = await fleet.runAllowingFailure("preview");
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(sentence);
    const up = await fleet.runAllowingFailure("up", "--yes", "--skip-preview");
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(sentence);
    expect(emu.calls.counts().CreateDesktops ?? 0).toBe(0);
  }, 120_000);
});
