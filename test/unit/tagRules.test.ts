/** The tag rules of the official TagResources model, as check() reports them on the `tags` input. */
import { validateInputs } from "../../provider/desktopBatch/validate";
import type { DesktopBatchInputs } from "../../provider/desktopBatch/inputs";

const base: DesktopBatchInputs = {
  officeSiteId: "cn-hangzhou+dir-0000000001",
  bundleId: "b-win-office-4c8g",
};
const tagFailures = (tags: Record<string, string>) =>
  validateInputs({ ...base, tags }).filter((failure) => failure.property === "tags");

describe("tag rules in check()", () => {
  it.each(["see http://example.com", "HTTPS://example.com", "xhttp://y"])(
    "refuses the tag value %j, naming the property and the rule",
    (value) => {
      expect(tagFailures({ env: value })).toEqual([
        { property: "tags", reason: 'tags value of key "env" cannot contain http:// or https://' },
      ]);
    },
  );

  it("refuses a value starting with acs:", () => {
    expect(tagFailures({ env: "acs:prod" })).toEqual([
      { property: "tags", reason: 'tags value of key "env" cannot start with acs:' },
    ]);
  });

  it("refuses a key containing a URL", () => {
    expect(tagFailures({ "http://k": "v" })).toEqual([
      { property: "tags", reason: 'tags key "http://k" cannot contain http:// or https://' },
    ]);
  });

  it("accepts values that only mention http without a scheme separator", () => {
    expect(tagFailures({ env: "http-prod", owner: "https team" })).toEqual([]);
  });
});
