/** The reader behind `npm run gen:reference`: the parameter table of a flattened API reference page. */
import { requestParameters, topLevelParameters } from "../../scripts/reference/apiReference";

const PAGE = [
  "Elastic Desktop Service:CreateDesktops",
  "Request parameters",
  "Parameter",
  "Type",
  "Required",
  "RegionId",
  "string",
  "Yes",
  "The region ID.",
  "Tag",
  "array<object>",
  "No",
  "The tags.",
  "object",
  "No",
  "Key",
  "string",
  "No",
  "Value",
  "string",
  "No",
  "Amount",
  "integer",
  "No",
  "Response elements",
  "DesktopId",
  "array",
  "No",
].join("\n\n");

describe("the API reference reader", () => {
  it("reads the rows of the Request parameters table only, element rows unnamed", () => {
    expect(requestParameters(PAGE)).toEqual([
      { name: "RegionId", type: "string", required: true },
      { name: "Tag", type: "array<object>", required: false },
      { name: undefined, type: "object", required: false },
      { name: "Key", type: "string", required: false },
      { name: "Value", type: "string", required: false },
      { name: "Amount", type: "integer", required: false },
    ]);
  });

  it("groups members under the parameter they may belong to, and ends the group at any other name", () => {
    const groups = topLevelParameters(requestParameters(PAGE), (name) =>
      name === "Tag" ? ["Key", "Value"] : [],
    );
    expect(groups.map((g) => [g.name, g.members.map((m) => m.name)])).toEqual([
      ["RegionId", []],
      ["Tag", ["Key", "Value"]],
      ["Amount", []],
    ]);
  });

  it("refuses a page without the table", () => {
    expect(() => requestParameters("Response elements")).toThrow(/no Request parameters section/);
  });
});
