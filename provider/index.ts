export * from "./desktopBatch";
export { desktopBatchProvider } from "./dynamic";
export * as ecd from "./ecd";
export { EcdClient } from "./ecd/client";
export { EcdApiError, EcdOutcomeUnknownError, EcdCredentialsError } from "./ecd/errors";
