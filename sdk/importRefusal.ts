import * as pulumi from "@pulumi/pulumi";

/**
 * `import` cannot work for a dynamic resource: Pulumi reads it through the provider code stored in its state, and
 * a resource not yet in the state has none, so Pulumi fails deep inside ("code must be a string, not undefined").
 * A RunError ends the program with this one sentence instead, without a stack trace.
 */
export function refuseImport(name: string, opts: pulumi.CustomResourceOptions | undefined): void {
  if (opts?.import === undefined) return;
  throw new pulumi.RunError(
    `DesktopBatch ${name}: the \`import\` resource option cannot work for a DesktopBatch (a Pulumi dynamic ` +
      "resource: Pulumi has no provider code for it until it is created). To take existing desktops over, list " +
      "them in adoptDesktopIds (with amount at least their number); to refer to a batch that another stack " +
      "manages, use DesktopBatch.get(name, id). See docs/import.md.",
  );
}
