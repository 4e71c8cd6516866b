export { DesktopBatchProvider, PartialBatchError } from "./provider";
export type { DesktopBatchProviderOptions, ProviderSettings } from "./provider";
export type { DesktopBatchInputs } from "./inputs";
export type { DesktopBatchOutputs, DesktopOutput } from "./outputs";
export { planDiff } from "./diff";
export { validateInputs } from "./validate";
export { INPUTS, CROSS_FIELD_RULES } from "./schemaModel";
