import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * The DesktopBatch `batchToken` for a resource of this project and stack: stable for the resource's life, and
 * different for each project, stack and resource name (lowercase hex, 32 characters).
 */
export function batchTokenFor(resourceName: string): string {
  return createHash("sha256")
    .update(`${pulumi.getProject()}/${pulumi.getStack()}/${resourceName}`)
    .digest("hex")
    .slice(0, 32);
}
