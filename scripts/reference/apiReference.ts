/** Reads the request parameters out of the text of an Alibaba Cloud OpenAPI reference page (for gen:reference). */

export interface ApiParameter {
  /** PascalCase name; undefined for the element line of an array (`string`, `object` under `EndUserId`). */
  readonly name: string | undefined;
  readonly type: string;
  readonly required: boolean;
}

const TYPE = /^(string|integer|long|boolean|number|object|array(<\w+>)?)$/;
const NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The rows of the "Request parameters" table, in order. The page is flattened text (one cell per line), so a
 * row is recognised as `Name` / type / `Yes|No`, or type / `Yes|No` for an array element.
 */
export function requestParameters(page: string): ApiParameter[] {
  const lines = page.split("\n").map((line) => line.trim());
  const start = lines.indexOf("Request parameters");
  const end = lines.indexOf("Response elements");
  if (start < 0 || end < start) throw new Error("no Request parameters section before Response elements");
  const cells = lines.slice(start + 1, end).filter((line) => line !== "");
  const isRequired = (cell: string | undefined): boolean => cell === "Yes" || cell === "No";
  const parameters: ApiParameter[] = [];
  for (let i = 0; i < cells.length; i++) {
    if (NAME.test(cells[i]) && TYPE.test(cells[i + 1] ?? "") && isRequired(cells[i + 2])) {
      parameters.push({ name: cells[i], type: cells[i + 1], required: cells[i + 2] === "Yes" });
      i += 2;
    } else if (TYPE.test(cells[i]) && isRequired(cells[i + 1])) {
      parameters.push({ name: undefined, type: cells[i], required: cells[i + 1] === "Yes" });
      i += 1;
    }
  }
  return parameters;
}

export interface TopLevelParameter {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  /** The member rows of an object (or array of objects) parameter. */
  readonly members: (ApiParameter & { readonly name: string })[];
}

/**
 * Groups the flat rows into top-level parameters and their members. The flattened page does not show where a
 * parameter's members end, so `membersOf(name)` says which names may be members of `name`; a repeated member
 * name also ends the group (BundleModels has DesktopName, so does the top level).
 */
export function topLevelParameters(
  rows: readonly ApiParameter[],
  membersOf: (name: string) => readonly string[],
): TopLevelParameter[] {
  const result: TopLevelParameter[] = [];
  let current: (TopLevelParameter & { allowed: readonly string[] }) | undefined;
  for (const row of rows) {
    const name = row.name;
    if (name === undefined) continue;
    if (
      current !== undefined &&
      current.allowed.includes(name) &&
      !current.members.some((m) => m.name === name)
    ) {
      current.members.push({ ...row, name });
      continue;
    }
    current = { name, type: row.type, required: row.required, members: [], allowed: membersOf(name) };
    result.push(current);
  }
  return result.map(({ name, type, required, members }) => ({ name, type, required, members }));
}
