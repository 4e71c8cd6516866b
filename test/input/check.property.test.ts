/**
 * Property-based tests of DesktopBatchProvider.check over generated inputs (fast-check, fixed seed): whatever it
 * is given, check answers without throwing; every invalid input fails on the property's path with a reason that
 * names the property and states the rule; values unknown during preview are never reported.
 */
import fc from "fast-check";
import { DesktopBatchProvider, DesktopBatchInputs } from "../../provider";
import { INPUTS, PropertyModel, PropertyType } from "../../provider/desktopBatch/schemaModel";

const SEED = 20261130;
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const provider = new DesktopBatchProvider({ env: {} });
let generated = 0;

const VALID: DesktopBatchInputs = {
  regionId: "cn-hangzhou",
  officeSiteId: "cn-hangzhou+dir-0000000001",
  bundleId: "b-win-office-4c8g",
  lineage: "0123456789abcdef0123456789abcdef",
};

/** What an input path needs around it to be valid, so that only the generated value can be wrong. */
const CONTEXT: Record<string, Record<string, unknown>> = {
  desktopAttachment: {
    bundleId: undefined,
    desktopAttachment: { desktopType: "eds.x.4c8g", imageId: "m-1" },
  },
  bundleModels: {
    bundleId: undefined,
    amount: 2,
    bundleModels: [{ bundleId: "b-1", amount: 2, endUserIds: ["alice"], hostname: "h-[1,2]" }],
  },
  userCommands: { userCommands: [{ content: "ZWNobw==" }] },
  desktopTimers: { desktopTimers: [{ timerType: "NoConnect" }] },
  monthDesktopSetting: { monthDesktopSetting: {} },
  timeouts: { timeouts: {} },
  endUserIds: { endUserIds: ["alice", "bob"] },
  adoptDesktopIds: { adoptDesktopIds: ["ecd-abc1"] },
  aliasLineages: { aliasLineages: ["fedcba9876543210fedcba9876543210"] },
  tags: { tags: { team: "a" } },
};

/** A full valid input touching most rules, for the unknown-marker property. */
const RICH: Record<string, unknown> = {
  ...VALID,
  desktopName: "dev",
  amount: 4,
  chargeType: "PrePaid",
  period: 6,
  periodUnit: "Month",
  autoRenew: true,
  userAssignMode: "PER_USER",
  endUserIds: ["alice", "bob"],
  hostname: "dev-[1,4]",
  tags: { team: "a", env: "b" },
  volumeEncryptionEnabled: true,
  volumeEncryptionKey: "key-1",
  desktopMemberIp: undefined,
  userCommands: [{ content: "ZWNobw==", contentEncoding: "Base64", contentType: "RunShellScript" }],
  desktopTimers: [{ timerType: "NoConnect", interval: 10, resetType: "RESET_TYPE_SYSTEM" }],
  timeouts: { create: "30m", delete: "1h" },
  extendInfo: "{}",
  adoptDesktopIds: ["ecd-abc1"],
};

const INJECTIONS = [
  "cn-hangzhou&Action=DeleteDesktops",
  "'; DROP TABLE desktops; --",
  "<script>alert(1)</script>",
  "$(rm -rf /)",
  "`id`",
  "../../../etc/passwd",
  "%0d%0aSet-Cookie: a=b",
  "a\r\nX-Injected: 1",
  "{{7*7}}",
  "${jndi:ldap://x/a}",
  "http://169.254.169.254/latest",
  "\u0000",
  "\u202egnp.exe",
];

// ---- generated values -------------------------------------------------------------------------------------

const nested = (depth: number, leaf: unknown, asList: boolean): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asList ? [value] : { deeper: value };
  return value;
};
const deep = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.boolean())
  .map(([depth, asList]) => nested(depth, "x", asList));
const hugeString = fc
  .tuple(fc.constantFrom("a", "é", "日", "😀", "\u0301", "-"), fc.integer({ min: 1_000, max: 200_000 }))
  .map(([unit, times]) => unit.repeat(times));
const oddNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53 + 2, 1e300),
  fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
  fc.integer({ min: -1_000_000, max: -1 }),
);
const oddString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.constantFrom(...INJECTIONS),
  hugeString,
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 4 }) },
  { weight: 2, arbitrary: oddNumber },
  { weight: 2, arbitrary: oddString },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constant(UNKNOWN) },
  { weight: 1, arbitrary: fc.array(fc.constant(UNKNOWN), { maxLength: 3 }) },
);

/** Values of any type but the shape's (never null or undefined, which mean "not set"). */
function wrongType(shape: PropertyType): fc.Arbitrary<unknown> {
  const list = fc.oneof(fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }), deep.filter(Array.isArray));
  const object = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
    deep.filter((v) => !Array.isArray(v)),
  );
  const text = fc.oneof(oddString, fc.constantFrom("5", "true", "[]", "{}", ""));
  const numbers = fc.oneof(oddNumber, fc.integer());
  const bool = fc.boolean();
  switch (shape.type) {
    case "string":
      return fc.oneof(numbers, bool, list, object);
    case "integer":
      return fc.oneof(
        oddNumber.filter((n) => !Number.isInteger(n)),
        text,
        bool,
        list,
        object,
      );
    case "number":
      return fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity), text, bool, list, object);
    case "boolean":
      return fc.oneof(
        numbers,
        text.filter((s) => s !== UNKNOWN),
        list,
        object,
      );
    case "enum":
      return fc.oneof(
        text.filter((s) => !shape.values.includes(s) && s !== UNKNOWN),
        fc
          .constantFrom(
            ...shape.values.flatMap((v) => [v.toLowerCase(), v.toUpperCase(), ` ${v}`, `${v}\u200b`]),
          )
          .filter((v) => !shape.values.includes(v)),
        numbers,
        bool,
        list,
      );
    case "map":
      return fc.oneof(
        list,
        text,
        numbers,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(numbers, bool, list), {
          minKeys: 1,
          maxKeys: 3,
        }),
      );
    case "array":
      return fc.oneof(object, text, numbers, bool);
    case "object":
      return fc.oneof(list, text, numbers, bool);
  }
}

/** Values of the right type that break one of the property's constraints. */
function brokenConstraint(property: PropertyModel): fc.Arbitrary<unknown>[] {
  const rules = property.validate;
  const out: fc.Arbitrary<unknown>[] = [];
  if (rules.maxLength !== undefined) {
    const min = rules.maxLength + 1;
    out.push(fc.string({ unit: "grapheme", minLength: min, maxLength: min + 40 }), hugeString);
  }
  if (rules.minLength !== undefined) out.push(fc.constant(""));
  if (rules.notStartsWith)
    out.push(fc.constantFrom(...rules.notStartsWith).map((prefix) => `${prefix}example.com`));
  if (rules.pattern && property.shape.type === "string") {
    const pattern = new RegExp(rules.pattern, "u");
    out.push(fc.oneof(fc.constantFrom(...INJECTIONS), oddString).filter((s) => !pattern.test(s)));
  }
  if (rules.hostnameTemplate) {
    out.push(
      fc.constantFrom(
        "a",
        "-ab",
        "ab-",
        "a--b",
        "1234",
        "a_b",
        "a".repeat(16),
        "h[1,7]",
        "h[1000000,6]",
        "h[]x]",
      ),
    );
  }
  if (rules.ipv4)
    out.push(fc.constantFrom("10.0.0", "256.1.1.1", "1.2.3.4.5", "::1", "10.0.0.1 ", "0x0a.0.0.1"));
  if (rules.json) out.push(fc.constantFrom("{", "undefined", "{'a':1}", "[1,]", "NaN"));
  if (rules.duration) out.push(fc.constantFrom("soon", "-5m", "5", "5d", "1h30", "0s", " "));
  const below = rules.minimumUnlessZero ?? rules.minimum;
  if (below !== undefined) {
    const floor = rules.minimumUnlessZero !== undefined ? 1 : -1_000_000;
    out.push(
      fc.integer({ min: Math.min(floor, below - 1), max: below - 1 }).filter((n) => n !== 0 || below <= 0),
    );
  }
  if (rules.maximum !== undefined)
    out.push(fc.oneof(fc.integer({ min: rules.maximum + 1, max: 2 ** 31 }), fc.constant(2 ** 53 + 2)));
  if (rules.multipleOf !== undefined && rules.minimum !== undefined && rules.maximum !== undefined) {
    const step = rules.multipleOf;
    out.push(
      fc
        .integer({ min: Math.max(rules.minimum, rules.minimumUnlessZero ?? 0), max: rules.maximum })
        .filter((n) => n % step !== 0),
    );
  }
  // An empty list means none (canonical.ts): only a minimum above one makes a short list a violation.
  if (rules.minItems !== undefined && rules.minItems > 1) out.push(fc.constant([]));
  if (rules.maxItems !== undefined) {
    const count = rules.maxItems + 1;
    out.push(fc.constant(Array.from({ length: count }, (_, i) => `ecd-u${i}`)));
  }
  if (rules.uniqueItems) out.push(fc.constantFrom(["ecd-a1", "ecd-a1"], ["ecd-b", "ecd-c", "ecd-b"]));
  if (rules.pattern && property.shape.type === "array") {
    const pattern = new RegExp(rules.pattern, "u");
    out.push(oddString.filter((s) => !pattern.test(s)).map((bad) => ["ecd-ok1", bad]));
  }
  if (rules.minProperties !== undefined) out.push(fc.constant({}));
  if (rules.maxProperties !== undefined) {
    const count = rules.maxProperties + 1;
    out.push(fc.constant(Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, "v"]))));
  }
  if (rules.tagRules) {
    out.push(
      fc.constantFrom(
        { aliyunTeam: "a" },
        { "ACS:team": "a" },
        { "pulumi-ecd:batch": "a" },
        { "pulumi-ecd:lineage": "a" },
        { "see http://x": "a" },
        { ["k".repeat(129)]: "a" },
        { "": "a" },
        { team: "v".repeat(129) },
        { team: "acs:x" },
      ),
    );
  }
  return out;
}

// ---- the input paths, from the schema ---------------------------------------------------------------------

interface Target {
  path: string;
  property: PropertyModel;
}

/** Every input and nested field, with list items addressed as [0]. */
function targets(models: readonly PropertyModel[], prefix = ""): Target[] {
  const out: Target[] = [];
  for (const property of models) {
    const path = `${prefix}${property.name}`;
    out.push({ path, property });
    const shape = property.shape;
    if (shape.type === "object") out.push(...targets(shape.properties, `${path}.`));
    if (shape.type === "array") {
      const item: PropertyModel = {
        ...property,
        name: `${property.name}[0]`,
        shape: shape.items,
        validate: {},
      };
      out.push({ path: `${path}[0]`, property: item });
      if (shape.items.type === "object") out.push(...targets(shape.items.properties, `${path}[0].`));
    }
  }
  return out;
}
const TARGETS = targets(INPUTS);

const stepsOf = (path: string): (string | number)[] =>
  path.split(/\.|(?=\[)/).map((step) => (step.startsWith("[") ? Number(step.slice(1, -1)) : step));

/** The object or list at `a.b[0]`, created where missing. */
function navigate(
  root: Record<string, unknown>,
  steps: (string | number)[],
): Record<string | number, unknown> {
  let node: Record<string | number, unknown> = root;
  steps.forEach((step, index) => {
    if (node[step] === undefined || node[step] === null || typeof node[step] !== "object")
      node[step] = typeof steps[index + 1] === "number" ? [{}] : {};
    node = node[step] as Record<string | number, unknown>;
  });
  return node;
}

/** Sets `a.b[0].c` (as an own property, whatever its name) on a deep copy. */
function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const steps = stepsOf(path);
  const last = steps.pop()!;
  Object.defineProperty(navigate(copy, steps), last, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

function baseFor(path: string): Record<string, unknown> {
  const top = path.split(/[.[]/)[0];
  return { ...VALID, ...CONTEXT[top] };
}

// ---- what every answer must look like -----------------------------------------------------------------------

const RULE_WORDS =
  /\b(must|cannot|required|is not an input|is not a field|only|reserved|needs|at most|at least|no room|not divisible|not valid|missing)\b/;

/** The property as a message shows it: plain paths as is, others (user-typed keys) quoted and cut. */
function shownName(property: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[^\u0000-\u001f\u007f"\s]{1,80}$/.test(property)) return property;
  return JSON.stringify(property).slice(0, 20);
}

function expectWellFormed(failures: { property: string; reason: string }[]): void {
  for (const { property, reason } of failures) {
    expect(typeof property).toBe("string");
    expect(reason).toContain(shownName(property));
    expect(reason).toMatch(RULE_WORDS);
    expect(reason).not.toMatch(/[\r\n]/);
    expect(reason.length).toBeLessThan(400);
  }
}

async function check(inputs: Record<string, unknown>) {
  generated += 1;
  const result = await provider.check({}, inputs as DesktopBatchInputs);
  return result.failures ?? [];
}

// ---- the properties ---------------------------------------------------------------------------------------

describe("check over generated inputs", () => {
  afterAll(() => {
    console.log(`check.property: ${generated} generated inputs checked (seed ${SEED})`);
  });

  it("never throws, and every failure names its property and states the rule, whatever the inputs hold", async () => {
    const knownKeys = INPUTS.map((p) => p.name);
    const patch = fc.dictionary(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...knownKeys) },
        fc.string({ maxLength: 20 }),
        fc.string({ unit: "binary", maxLength: 200 }),
      ),
      anyValue,
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(patch, async (changes) => {
        const failures = await check({ ...VALID, ...changes });
        expectWellFormed(failures);
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });

  it("reports a value of the wrong type on the property's exact path", async () => {
    const cases = fc
      .constantFrom(...TARGETS)
      .chain((target) => wrongType(target.property.shape).map((value) => ({ path: target.path, value })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, value }) => {
        const failures = await check(withValue(baseFor(path), path, value));
        expectWellFormed(failures);
        expect(failures.map((f) => f.property)).toContain(path);
      }),
      { seed: SEED + 1, numRuns: 4000 },
    );
  });

  it("reports a value that breaks a constraint of the schema on the property's exact path", async () => {
    const constrained = TARGETS.flatMap((target) =>
      brokenConstraint(target.property).map((values) => ({ path: target.path, values })),
    );
    const cases = fc
      .constantFrom(...constrained)
      .chain(({ path, values }) => values.map((value) => ({ path, value })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ path, value }) => {
        const failures = await check(withValue(baseFor(path), path, value));
        expectWellFormed(failures);
        expect(failures.map((f) => f.property)).toContain(path);
      }),
      { seed: SEED + 2, numRuns: 3000 },
    );
  });

  it("reports an unknown key at any level as not an input or not a field", async () => {
    const objects = TARGETS.filter((t) => t.property.shape.type === "object").map((t) => t.path);
    const keys = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty"),
    );
    const cases = fc
      .record({ at: fc.constantFrom("", ...objects), key: keys })
      .filter(
        ({ at, key }) => key !== "__provider" && !TARGETS.some((t) => t.path === (at ? `${at}.${key}` : key)),
      );
    await fc.assert(
      fc.asyncProperty(cases, async ({ at, key }) => {
        const base = baseFor(at || "-");
        const inputs = structuredClone(base);
        const holder = navigate(inputs, at ? stepsOf(at) : []);
        Object.defineProperty(holder, key, { value: "surprise", enumerable: true });
        const failures = await check(inputs);
        expectWellFormed(failures);
        const path = at ? `${at}.${key}` : key;
        expect(failures).toContainEqual({
          property: path,
          reason: expect.stringMatching(at ? /is not a field of/ : /is not an input of DesktopBatch/),
        });
      }),
      { seed: SEED + 3, numRuns: 1000 },
    );
  });

  it("never reports a value that is unknown during preview, at any depth", async () => {
    const leaves = [
      ...Object.keys(RICH).filter((key) => RICH[key] !== undefined),
      "endUserIds[1]",
      "tags.team",
      "userCommands[0].content",
      "userCommands[0].contentType",
      "desktopTimers[0].interval",
      "timeouts.create",
      "adoptDesktopIds[0]",
    ];
    await fc.assert(
      fc.asyncProperty(fc.subarray(leaves, { minLength: 1 }), async (paths) => {
        // Deepest first, so that an unknown list or object wins over an unknown inside it.
        const deepestFirst = [...paths].sort((a, b) => b.length - a.length);
        const inputs = deepestFirst.reduce((acc, path) => withValue(acc, path, UNKNOWN), RICH);
        expect(await check(inputs)).toEqual([]);
      }),
      { seed: SEED + 4, numRuns: 1000 },
    );
  });

  it("the rich input used above is itself valid", async () => {
    expect(await check(RICH)).toEqual([]);
  });

  it("keeps inputs many thousands deep from overflowing the stack", async () => {
    const failures = await check({ ...VALID, groupId: nested(200_000, UNKNOWN, true) });
    expect(failures).toEqual([
      expect.objectContaining({ property: "groupId", reason: expect.stringMatching(/must be a string/) }),
    ]);
  });
});
