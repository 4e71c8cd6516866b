/**
 * pr-summary on a preview the real Pulumi CLI produces now (not a stored fixture): a replacement planned for the
 * quick start after `up`, and a --refresh preview after desktops were lost and broken behind Pulumi's back.
 */
import { RunningEmulator, startEmulator } from "../../emulator";
import { PR_SUMMARY_EXIT, prSummaryCommand } from "../../cli/prSummary";
import { CAPTURE_DURATIONS, PREVIEW_SCENARIOS, capturePreview } from "../../scripts/lib/previewScenarios";
import { memoryIo } from "../cli/io";
import { findCliOrSkip } from "./cli";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;
const scenario = (name: string) => PREVIEW_SCENARIOS.find((s) => s.name === name)!;

describeE2E("pr-summary on a fresh preview from the real CLI", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ durations: CAPTURE_DURATIONS });
  });
  afterAll(async () => emu?.close());

  async function summarise(json: string, args: string[] = []) {
    const io = memoryIo({
      stdin: json,
      env: {
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
      },
    });
    const code = await prSummaryCommand(args, io);
    return { code, markdown: io.out(), stderr: io.err() };
  }

  it("warns that a replacement destroys every desktop, names the input, prices it and gates on it", async () => {
    const json = await capturePreview(scenario("replace"), emu, cliDir!);
    const { code, markdown, stderr } = await summarise(json, ["--fail-on-replace"]);
    expect(stderr).toBe(
      "pulumi-ecd pr-summary: exit 3 (--fail-on-replace): the plan replaces dev-desktops, destroying its 3 desktops (officeSiteId changed)\n",
    );
    expect(code).toBe(PR_SUMMARY_EXIT.replaces);
    expect(markdown).toContain(
      "**⚠️ 3 desktops of dev-desktops will be destroyed: users lose their data (replaced because officeSiteId changed).",
    );
    expect(markdown).toContain(
      "| `officeSiteId` | `cn-hangzhou+dir-0000000001` | `cn-hangzhou+dir-0000000002` | **replaces the batch** |",
    );
    expect(markdown).toMatch(
      // The same template in another office site: the same price.
      /\| `dev-desktops` \| \*\*replace\*\* \| 3 → 3 \| 3 \| 3 \| 3 → 3 \| 0 \| 0 \| [\d,.]+ CNY → [\d,.]+ CNY \(\*\*±0\.00 CNY\*\*\) \|/,
    );
  });

  it("reports drift a --refresh preview finds, and the desktops the plan creates to heal it", async () => {
    const json = await capturePreview(scenario("drift"), emu, cliDir!);
    const { code, markdown } = await summarise(json, ["--no-cost", "--fail-on-release"]);
    expect(code).toBe(0);
    expect(markdown).toContain("1 desktop of dev-desktops no longer exists (deleted outside Pulumi)");
    expect(markdown).toMatch(
      /1 desktop of dev-desktops is Failed \(`ecd-\w+`\); this plan releases it and creates new ones/,
    );
    expect(markdown).toContain("| `dev-desktops` | update in place | 2 → 3 | 1 | 0 | 0 | 1 | 0 |");
  });
});
