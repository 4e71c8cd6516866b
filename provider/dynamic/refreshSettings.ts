import { EcdApiError, EcdCredentialsError } from "../ecd/errors";

/**
 * Pulumi refreshes a resource with the provider settings recorded at the stack's last update, not with the stack
 * config as it is now. Right after a user moves credentials, region or endpoint from the environment into the
 * stack config, a refresh therefore runs without them, and the error alone would tell them to set exactly what
 * they just set. A set-up failure during a refresh says what is happening and what to run.
 */
export const REFRESH_SETTINGS_NOTE =
  "A refresh uses the provider settings recorded at this stack's last update, not the stack config as it is now: " +
  "if you have just moved settings into the stack config, run `pulumi up` once (without --refresh) to record " +
  "them, then refresh again.";

/** Whether the error comes from the set-up (credentials, region, endpoint) rather than from the batch. */
function isSetupFailure(error: unknown): error is Error {
  return error instanceof EcdCredentialsError || (error instanceof EcdApiError && error.hint !== undefined);
}

export function explainRefreshSettings<T extends { read(...args: never[]): Promise<unknown> }>(
  provider: T,
): T {
  const read = provider.read.bind(provider) as (...args: unknown[]) => Promise<unknown>;
  (provider as unknown as { read: typeof read }).read = async (...args) => {
    try {
      return await read(...args);
    } catch (error) {
      if (isSetupFailure(error) && !error.message.endsWith(REFRESH_SETTINGS_NOTE))
        error.message = `${error.message.replace(/\s+$/, "")} ${REFRESH_SETTINGS_NOTE}`;
      throw error;
    }
  };
  return provider;
}
