import type * as pulumi from "@pulumi/pulumi";

type Props = object;
type ID = string;

/**
 * What `desktopBatchProvider()` of `pulumi-ecd/provider` must return: every method of a dynamic provider.
 * Method signatures (not Pulumi's function-typed properties) so that a provider typing its inputs and outputs
 * as its own interfaces still fits.
 */
export interface DesktopBatchProviderMethods {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<Props>>;
  diff(id: ID, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Props): Promise<pulumi.dynamic.CreateResult<Props>>;
  read(id: ID, props: Props): Promise<pulumi.dynamic.ReadResult<Props>>;
  update(id: ID, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult<Props>>;
  delete(id: ID, props: Props): Promise<void>;
}

/** The part of `pulumi-ecd/provider` the proxy relies on. */
export interface DesktopBatchProviderModule {
  desktopBatchProvider(): DesktopBatchProviderMethods;
}

// Pulumi serializes a dynamic provider's closure into every resource's state. Loading the implementation with
// a free `require` at run time (which the closure serializer leaves alone) keeps that text tiny, and resolves
// the installed package from the program's directory in the dynamic-provider host.
const provider = (): DesktopBatchProviderMethods =>
  (require("pulumi-ecd/provider") as DesktopBatchProviderModule).desktopBatchProvider();

/** The provider the SDK hands to `pulumi.dynamic.Resource`: each method defers to the installed package. */
export const desktopBatchProviderProxy: DesktopBatchProviderMethods = {
  configure: (req) => provider().configure(req),
  check: (olds, news) => provider().check(olds, news),
  diff: (id, olds, news) => provider().diff(id, olds, news),
  create: (inputs) => provider().create(inputs),
  read: (id, props) => provider().read(id, props),
  update: (id, olds, news) => provider().update(id, olds, news),
  delete: (id, props) => provider().delete(id, props),
};
