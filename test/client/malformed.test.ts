/**
 * Malformed answers, served over HTTP by the emulator's fault layer (kind "malformed"): each one becomes a clear
 * error value carrying the operation and the request ID when there is one; none crashes the client or reads
 * as a (wrong) result. A CreateDesktops with a malformed answer has an unknown outcome and is never re-sent.
 */
import { EcdClient, EcdClientOptions } from "../../provider/ecd/client";
import { EcdApiError, EcdOutcomeUnknownError } from "../../provider/ecd/errors";
import { startEmulator, RunningEmulator, type ScriptedFault } from "../../emulator";
import { baseInputs, withHarness } from "../support/harness";

const REGION = "cn-hangzhou";
const CREATE = { officeSiteId: `${REGION}+dir-0000000001`, bundleId: "b-win-office-4c8g", amount: 2 };

describe("malformed answers", () => {
  let emu: RunningEmulator;
  const attempts: string[] = [];
  const client = (extra: Partial<EcdClientOptions> = {}) =>
    new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 },
      notice: () => undefined,
      onAttempt: (e) => attempts.push(`${e.operation}:${e.outcome}${e.error ? `:${e.error}` : ""}`),
      ...extra,
    });
  const failure = (promise: Promise<unknown>): Promise<EcdApiError> =>
    promise.then(
      () => {
        throw new Error("expected the call to fail");
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(EcdApiError);
        return error as EcdApiError;
      },
    );
  const malformed = (action: string, shape: ScriptedFault["shape"], times = 1): void =>
    emu.faults.script({ action, kind: "malformed", shape, times });
  /** The request IDs the emulator gave the calls of this action. */
  const requestIds = (action: string) => emu.calls.entries(action).map((c) => c.requestId);

  beforeAll(async () => {
    emu = await startEmulator({ durations: { createMs: 10, deleteMs: 10 } });
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.reset();
    attempts.length = 0;
  });

  describe("on CreateDesktops: outcome unknown, sent once", () => {
    it.each([
      ["a gateway's 502 HTML page", "html", /HTML page, not JSON/, false],
      ["a body that is not JSON", "notJson", /not JSON/, true],
      ["a truncated body", "truncated", /cut off before its end/, true],
      ["JSON without DesktopId and OrderId", "missingFields", /no DesktopId and no OrderId/, true],
      [
        "HTTP 200 carrying an error Code",
        "errorIn200",
        /HTTP 200 but carried the error InternalError/,
        false,
      ],
    ] as const)("%s", async (_name, shape, what, applied) => {
      malformed("CreateDesktops", shape);
      const error = await failure(client().createDesktops(CREATE));
      expect(error).toBeInstanceOf(EcdOutcomeUnknownError);
      expect(error).toMatchObject({ operation: "CreateDesktops", code: "OutcomeUnknown", endpoint: emu.url });
      expect(error.message).toMatch(what);
      expect(error.message).toMatch(
        /^CreateDesktops outcome is unknown at http:\/\/127\.0\.0\.1:\d+: .*it may have been applied, so it is not sent again \(OutcomeUnknown/,
      );
      expect(emu.calls.counts().CreateDesktops).toBe(1);
      expect(attempts).toEqual(["CreateDesktops:fail:OutcomeUnknown"]);
      expect(emu.backend.describeDesktops(REGION)).toHaveLength(applied ? 2 : 0);
    });

    it("keeps the request ID when the malformed body carries one", async () => {
      malformed("CreateDesktops", "missingFields");
      const error = await failure(client().createDesktops(CREATE));
      expect(error.requestId).toBe(requestIds("CreateDesktops")[0]);
      expect(error.message).toContain(`request id ${error.requestId}`);
    });
  });

  describe("on reads: an error value, never an empty result", () => {
    it("DescribeDesktops without Desktops is BadResponse with the request ID, after the retries", async () => {
      malformed("DescribeDesktops", "missingFields", 3);
      const error = await failure(client().describeAllDesktops({}));
      expect(error).toMatchObject({ operation: "DescribeDesktops", code: "BadResponse" });
      expect(error.message).toMatch(/no Desktops, which this operation always returns/);
      expect(error.requestId).toBe(requestIds("DescribeDesktops")[2]);
      expect(attempts).toEqual([
        "DescribeDesktops:retry:BadResponse",
        "DescribeDesktops:retry:BadResponse",
        "DescribeDesktops:fail:BadResponse",
      ]);
    });

    it("ListTagResources without TagResources is BadResponse too", async () => {
      malformed("ListTagResources", "missingFields", 3);
      const error = await failure(client().listAllTagResources({ tags: [{ key: "k", value: "v" }] }));
      expect(error).toMatchObject({ operation: "ListTagResources", code: "BadResponse" });
      expect(error.message).toMatch(/no TagResources/);
    });

    it.each([
      ["a gateway's 502 HTML page", "html", /HTML page, not JSON \(a proxy or gateway error page\)/],
      ["a body that is not JSON", "notJson", /the answer was not JSON/],
      ["a truncated body", "truncated", /cut off before its end/],
    ] as const)(
      "%s is BadResponse, and a retry that gets a good answer succeeds",
      async (_name, shape, what) => {
        malformed("DescribeDesktops", shape, 3);
        const error = await failure(client().describeDesktops({}));
        expect(error).toMatchObject({
          operation: "DescribeDesktops",
          code: "BadResponse",
          endpoint: emu.url,
        });
        expect(error.message).toMatch(what);
        expect(error.message).toMatch(
          /^DescribeDesktops failed at http:\/\/127\.0\.0\.1:\d+: .* \(BadResponse\)$/,
        );
        malformed("DescribeDesktops", shape, 1);
        await expect(client().describeDesktops({})).resolves.toMatchObject({ desktops: [] });
      },
    );

    it("HTTP 200 with an error Code inside is that API error, with status 200 and the request ID", async () => {
      malformed("DescribeRegions", "errorIn200", 3);
      const error = await failure(client().describeRegions());
      expect(error).toMatchObject({ operation: "DescribeRegions", code: "InternalError", httpStatus: 200 });
      expect(error.requestId).toBe(requestIds("DescribeRegions")[2]);
      expect(error.message).toContain("unknown error");
      // InternalError is transient: it was retried like any other.
      expect(attempts).toHaveLength(3);
    });
  });

  it("the emulator logs each malformed answer with the status it sent", async () => {
    malformed("DescribeRegions", "html");
    malformed("DescribeRegions", "missingFields");
    await client({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }).describeRegions();
    expect(emu.calls.entries("DescribeRegions").map((c) => [c.httpStatus, c.fault])).toEqual([
      [502, "malformed"],
      [200, "malformed"],
      [200, undefined],
    ]);
    expect(() => emu.faults.script({ kind: "malformed", shape: "garbled" as never })).toThrow(
      /shape must be one of html, notJson, truncated, missingFields, errorIn200/,
    );
  });

  describe("through the provider: the batch ends with exactly its desktops", () => {
    it.each([
      ["missingFields", 1],
      ["truncated", 1],
      ["notJson", 1],
      ["html", 2],
      ["errorIn200", 2],
    ] as const)("%s on the first CreateDesktops (%i call(s) in all)", (shape, calls) =>
      withHarness(async (h) => {
        h.emu.faults.script({ action: "CreateDesktops", kind: "malformed", shape });
        const { outs } = await h.createBatch(baseInputs({ amount: 3 }));
        expect(outs.desktopIds).toHaveLength(3);
        expect(
          h
            .live()
            .map((d) => d.DesktopId)
            .sort(),
        ).toEqual([...outs.desktopIds].sort());
        expect(h.count("CreateDesktops")).toBe(calls);
      }),
    );
  });
});
