/**
 * The core's operations and what they answer, in no protocol's terms. Each face translates: the dynamic
 * provider's host takes these shapes as they are (they match its interface), the plugin turns them into the
 * ResourceProvider messages (provider/plugin/). Nothing in provider/desktopBatch imports @pulumi/pulumi.
 */

/** One input that breaks a rule: its path and a sentence that starts with it. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

export interface CheckResult<Inputs> {
  readonly inputs?: Inputs;
  readonly failures?: CheckFailure[];
}

export interface DiffResult {
  readonly changes?: boolean;
  /** Input paths that force a replacement (`desktopAttachment.systemDiskSize`). */
  readonly replaces?: string[];
  readonly stables?: string[];
  readonly deleteBeforeReplace?: boolean;
}

export interface CreateResult<Outputs> {
  readonly id: string;
  readonly outs?: Outputs;
}

export interface ReadResult<Outputs> {
  readonly id?: string;
  readonly props?: Outputs;
}

export interface UpdateResult<Outputs> {
  readonly outs?: Outputs;
}

/** Provider config by key (the schema's config section names the keys). */
export interface ConfigureRequest {
  readonly config: { get(key: string): string | undefined };
}

/** The seven operations of a DesktopBatch, as both faces call them. */
export interface ResourceProvider {
  configure?(req: ConfigureRequest): Promise<void>;
  check?(olds: unknown, news: unknown): Promise<CheckResult<unknown>>;
  diff?(id: string, olds: unknown, news: unknown): Promise<DiffResult>;
  create(inputs: unknown): Promise<CreateResult<unknown>>;
  read?(id: string, props?: unknown): Promise<ReadResult<unknown>>;
  update?(id: string, olds: unknown, news: unknown): Promise<UpdateResult<unknown>>;
  delete?(id: string, props: unknown): Promise<void>;
}
