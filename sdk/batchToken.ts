import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

const hash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 32);

/**
 * The DesktopBatch `batchToken`: stable for the resource's life, and different for every resource of the
 * program (lowercase hex, 32 characters). Under a parent (a component used twice, say) the parent's URN takes
 * part, since the same name may then appear more than once in one stack.
 */
export function batchTokenFor(resourceName: string, parent?: pulumi.Resource): pulumi.Input<string> {
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  if (!parent) return hash(`${project}/${stack}/${resourceName}`);
  return parent.urn.apply((urn) => hash(`${project}/${stack}/${urn}/${resourceName}`));
}
