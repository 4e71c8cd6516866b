/**
 * What a new user sees during `pulumi preview` and `pulumi up`: IDs checked against the service with the property
 * named, one line per batch saying what an update or replace will do and why, and progress lines that name
 * their batch.
 */
import { withHarness, baseInputs, REGION } from "../support/harness";
import { DesktopBatchProvider } from "../../provider";

describe("references are checked at preview", () => {
  it("an office site, template or policy that does not exist fails check on the property the user wrote", async () => {
    await withHarness(async (h) => {
      const { failures } = await h.provider.check(
        {},
        baseInputs({
          officeSiteId: `${REGION}+dir-9999999999`,
          bundleId: "b-no-such-template",
          policyGroupId: "pg-no-such-policy",
        }),
      );
      expect(failures).toEqual([
        {
          property: "officeSiteId",
          reason: expect.stringMatching(/^officeSiteId no office site .*9999999999 in cn-hangzhou/),
        },
        {
          property: "bundleId",
          reason: expect.stringMatching(/^bundleId no desktop template b-no-such-template/),
        },
        {
          property: "policyGroupId",
          reason: expect.stringMatching(/^policyGroupId no policy pg-no-such-policy/),
        },
      ]);
      expect(h.count("CreateDesktops")).toBe(0);
    });
  });

  it("an image that does not exist, or is not available, fails check on desktopAttachment.imageId", async () => {
    await withHarness(async (h) => {
      const attachment = (imageId: string) =>
        baseInputs({
          bundleId: undefined,
          desktopAttachment: { desktopType: "eds.enterprise_office.4c8g", imageId },
        });
      expect((await h.provider.check({}, attachment("m-no-such-image"))).failures).toEqual([
        { property: "desktopAttachment.imageId", reason: expect.stringMatching(/no image m-no-such-image/) },
      ]);
      expect((await h.provider.check({}, attachment("m-win2019-emu"))).failures).toEqual([]);
    });
  });

  it("an office site that is not registered fails check, saying so", async () => {
    await withHarness(async (h) => {
      h.emu.backend.setOfficeSiteStatus(`${REGION}+dir-0000000001`, "DEREGISTERED");
      const { failures } = await h.provider.check({}, baseInputs());
      expect(failures).toEqual([
        { property: "officeSiteId", reason: expect.stringMatching(/is DEREGISTERED, not REGISTERED/) },
      ]);
    });
  });

  it("asks once per ID and process", async () => {
    await withHarness(async (h) => {
      await h.provider.check({}, baseInputs());
      await h.provider.check({}, baseInputs({ amount: 2 }));
      expect([
        h.count("DescribeOfficeSites"),
        h.count("DescribeBundles"),
        h.count("DescribePolicyGroups"),
      ]).toEqual([1, 1, 1]);
    });
  });

  it("without credentials nothing is checked, and a notice says so once", async () => {
    const logs: string[] = [];
    const provider = new DesktopBatchProvider({
      env: { ALIBABA_CLOUD_REGION_ID: REGION },
      poll: { log: (l) => logs.push(l) },
    });
    const first = await provider.check({}, baseInputs());
    const second = await provider.check({}, baseInputs({ amount: 2 }));
    expect([first.failures, second.failures]).toEqual([[], []]);
    expect(logs).toEqual([expect.stringMatching(/were not checked during preview: no credentials/)]);
  });
});

describe("a preview fails on set-up mistakes, with the sentence an update would print", () => {
  /** A provider as a user's program gets it: settings from the environment only, the emulator's fast polling. */
  const providerWith = (env: NodeJS.ProcessEnv, logs: string[] = []) =>
    new DesktopBatchProvider({
      env,
      poll: { log: (l) => logs.push(l) },
      client: { retry: { baseDelayMs: 1, maxDelayMs: 5 } },
    });
  const envFor = (url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ALIBABA_CLOUD_ECD_ENDPOINT: url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "emulator",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "emulator-secret",
    ALIBABA_CLOUD_REGION_ID: REGION,
    ...extra,
  });

  it("a wrong access key secret fails check, naming the setting to fix", async () => {
    await withHarness(async (h) => {
      const provider = providerWith(envFor(h.emu.url, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong" }));
      const { failures } = await provider.check({}, baseInputs());
      expect(failures).toEqual([
        {
          property: "",
          reason: expect.stringMatching(
            /^DescribeOfficeSites failed at http:\/\/127\.0\.0\.1:\d+: the access key secret does not match the access key ID; check alicloud:secretKey or ALIBABA_CLOUD_ACCESS_KEY_SECRET \(SignatureDoesNotMatch, HTTP 400, request id [\w-]+\)$/,
          ),
        },
      ]);
      expect(h.count("CreateDesktops")).toBe(0);
    });
  });

  it("a region the service does not serve fails check", async () => {
    await withHarness(async (h) => {
      const provider = providerWith(envFor(h.emu.url, { ALIBABA_CLOUD_REGION_ID: "eu-north-9" }));
      const { failures } = await provider.check(
        {},
        baseInputs({ officeSiteId: "eu-north-9+dir-0000000001" }),
      );
      expect(failures).toEqual([
        { property: "", reason: expect.stringMatching(/the region is not served there.*\(InvalidRegionId/) },
      ]);
    });
  });

  it("an endpoint where nothing listens fails check, and later checks of the process say the same at once", async () => {
    let url = "";
    await withHarness(async (h) => {
      url = h.emu.url;
    });
    const provider = providerWith(envFor(url));
    const first = await provider.check({}, baseInputs());
    const second = await provider.check({}, baseInputs({ amount: 2 }));
    expect(first.failures).toEqual([
      { property: "", reason: expect.stringMatching(/nothing is listening there.*\(ConnectionFailed\)$/) },
    ]);
    expect(second.failures).toEqual(first.failures);
  });

  it("a service that stays throttled or failing is no set-up mistake: nothing is checked this time, a notice says so", async () => {
    await withHarness(
      async (h) => {
        const logs: string[] = [];
        const provider = providerWith(envFor(h.emu.url), logs);
        const { failures } = await provider.check({}, baseInputs());
        expect(failures).toEqual([]);
        expect(logs).toEqual([
          expect.stringMatching(/were not checked during preview: DescribeOfficeSites failed/),
        ]);
      },
      { faults: { serverErrorRate: 1 } },
    );
  });
});

describe("a new batch that adopts existing desktops says at preview what it will do with them", () => {
  it("names the desktops it adopts and says that none is created when amount is their number", async () => {
    await withHarness(async (h) => {
      const existing = await h.unmanaged(3, "ws");
      h.logs.length = 0;
      const { failures } = await h.provider.check({}, baseInputs({ amount: 3, adoptDesktopIds: existing }));
      expect(failures).toEqual([]);
      expect(h.logs).toEqual([
        `dev (new batch): ${existing.join(", ")} will be adopted into the batch; ` +
          `${existing.map((id, i) => `${id} is named "ws-${i + 1}" (will be renamed dev-${i + 1})`).join("; ")}; ` +
          "no desktop is created or released",
      ]);
      // And the create does just that: the three desktops, renamed, nothing created (the one call made them).
      await h.createBatch(baseInputs({ amount: 3, adoptDesktopIds: existing }));
      expect(h.live().map((d) => [d.DesktopId, d.DesktopName])).toEqual(
        existing.map((id, i) => [id, `dev-${i + 1}`]),
      );
      expect([h.count("CreateDesktops"), h.count("DeleteDesktops")]).toEqual([1, 0]);
    });
  });
});

describe("previews say why", () => {
  it("a heal is one line naming the batch: which desktop is missing and what will be created", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 3 }));
      h.emu.backend.removeDesktops([outs.desktopIds[1]]);
      const refreshed = (await h.provider.read(id, outs)).props!;
      h.logs.length = 0;
      const diff = await h.provider.diff(id, refreshed as typeof outs, inputs);
      expect(diff.changes).toBe(true);
      expect(h.logs).toEqual([`dev (${id}): 1 desktop(s) missing; they will be created`]);
    });
  });

  it("a replacement names the property that forces it", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 2 }));
      h.logs.length = 0;
      await h.provider.diff(
        id,
        outs,
        await h.checked({ ...inputs, officeSiteId: `${REGION}+dir-0000000002` }),
      );
      expect(h.logs).toEqual([
        expect.stringMatching(
          /^dev \(ecd-batch-\w+\): replaced because officeSiteId cannot change in place; all 2 desktop\(s\) are released and 2 created/,
        ),
      ]);
    });
  });

  it("progress lines name their batch, so two batches in one run can be told apart", async () => {
    await withHarness(async (h) => {
      await Promise.all([
        h.createBatch(baseInputs({ amount: 1, desktopName: "red" })),
        h.createBatch(baseInputs({ amount: 1, desktopName: "blue" })),
      ]);
      expect(h.logs.filter((line) => line.startsWith("red: created 1 desktop(s)"))).toHaveLength(1);
      expect(h.logs.filter((line) => line.startsWith("blue: created 1 desktop(s)"))).toHaveLength(1);
    });
  });
});
