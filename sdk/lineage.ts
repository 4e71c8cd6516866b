import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

const hash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 32);

/**
 * The DesktopBatch `lineage`: the same for every instance of one resource of one program (lowercase hex, 32
 * characters): organization, project, stack, the parent's URN when there is a parent (a component used twice
 * may repeat a name), and the name. It only finds what an interrupted create of this resource left behind; the
 * random instance ID in the resource ID decides ownership.
 */
export function lineageFor(resourceName: string, parent?: pulumi.Resource): pulumi.Input<string> {
  const where = `${organization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  if (!parent) return hash(`${where}/${resourceName}`);
  return parent.urn.apply((urn) => hash(`${where}/${urn}/${resourceName}`));
}

/**
 * The lineages this resource had under each of its `aliases` (an old name, parent, stack or project), so that a
 * create interrupted before the rename is still found. An alias given as a URN whose parent cannot be known from
 * it (a child's URN names only its parent's type) is left out.
 */
export function aliasLineagesFor(
  resourceName: string,
  opts: pulumi.CustomResourceOptions,
): pulumi.Input<string[]> | undefined {
  const aliases = opts.aliases ?? [];
  if (!aliases.length) return undefined;
  const lineages = aliases.map((alias): pulumi.Input<string | undefined> => {
    if (typeof alias === "string" || pulumi.Output.isInstance(alias) || alias instanceof Promise)
      return pulumi.output(alias as pulumi.Input<string>).apply(lineageOfUrn);
    // `{ parent: pulumi.rootStackResource }` (which is undefined) names no parent; no `parent` key, the current one.
    const parent = "parent" in alias ? alias.parent : opts.parent;
    const parentUrn =
      parent === undefined
        ? undefined
        : pulumi
            .output(pulumi.Resource.isInstance(parent) ? parent.urn : parent)
            // The stack itself as the old parent is the same as none.
            .apply((urn) => (urn.includes("::pulumi:pulumi:Stack::") ? undefined : urn));
    return pulumi
      .all([alias.name, alias.stack, alias.project])
      .apply(([name, stack, project]) =>
        lineageOf({ name: name ?? resourceName, stack, project, parentUrn }),
      );
  });
  return pulumi.all(lineages).apply((all) => [...new Set(all.filter((l): l is string => l !== undefined))]);
}

/** A URN alias: `urn:pulumi:<stack>::<project>::<type chain>::<name>`; a `$` in the chain means a parent. */
function lineageOfUrn(urn: string): pulumi.Output<string | undefined> {
  const parts = /^urn:pulumi:([^:]+)::([^:]+)::([^:]+(?::[^:]+)*)::(.+)$/.exec(urn);
  if (!parts || parts[3].includes("$")) return pulumi.output(undefined);
  return lineageOf({ stack: parts[1], project: parts[2], name: parts[4] });
}

function lineageOf(where: {
  name: string;
  stack?: string;
  project?: string;
  parentUrn?: pulumi.Input<string | undefined>;
}): pulumi.Output<string> {
  const prefix = `${organization()}/${where.project ?? pulumi.getProject()}/${where.stack ?? pulumi.getStack()}`;
  return pulumi
    .output(where.parentUrn)
    .apply((urn) =>
      urn === undefined ? hash(`${prefix}/${where.name}`) : hash(`${prefix}/${urn}/${where.name}`),
    );
}

/** Engines before organizations were passed to programs (and test mocks without one) have none. */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "";
  }
}
