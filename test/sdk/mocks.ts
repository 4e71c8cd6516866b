import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "ecd-sdk-test";

/** Records every resource the program registers (or reads) under Pulumi's runtime mocks. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: pulumi.runtime.MockResourceArgs[] = [];

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    this.resources.push(args);
    return { id: args.id ?? `${args.name}-id`, state: args.inputs };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return args.inputs;
  }

  /** The one registration of `name`; throws when there is none or more than one. */
  registered(name: string): pulumi.runtime.MockResourceArgs {
    const matches = this.resources.filter((r) => r.name === name);
    if (matches.length !== 1) throw new Error(`expected one registration of ${name}, got ${matches.length}`);
    return matches[0];
  }
}

export async function useMocks(stack = "dev", organization?: string): Promise<RecordingMocks> {
  const mocks = new RecordingMocks();
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false, organization);
  return mocks;
}

export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
