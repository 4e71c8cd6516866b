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

/** Engines before organizations were passed to programs (and test mocks without one) have none. */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "";
  }
}
