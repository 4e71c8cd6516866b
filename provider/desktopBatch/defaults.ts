import { INPUTS } from "./schemaModel";
import type { DesktopBatchInputs } from "./inputs";
import { isUnknown, UNKNOWN } from "./validate";

export const REGION_ENV = ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"];

/**
 * Fills what the user left out so the stored inputs are complete and a second preview compares equal:
 * schema defaults, the region from config or environment, amount from bundleModels, Month for PrePaid.
 */
export function withDefaults(
  news: DesktopBatchInputs,
  context: { configuredRegion?: string; env?: NodeJS.ProcessEnv },
): DesktopBatchInputs {
  const env = context.env ?? process.env;
  const out: Record<string, unknown> = { ...news };
  if (out.regionId === undefined || out.regionId === "") {
    const region = context.configuredRegion || REGION_ENV.map((name) => env[name]).find((value) => value);
    if (region) out.regionId = region;
  }
  if (out.amount === undefined) out.amount = amountOf(news.bundleModels);
  for (const property of INPUTS) {
    if (out[property.name] === undefined && property.default !== undefined)
      out[property.name] = property.default;
    const value = out[property.name];
    if (property.shape.type === "object" && value && typeof value === "object" && !Array.isArray(value)) {
      const nested = { ...(out[property.name] as Record<string, unknown>) };
      for (const field of property.shape.properties) {
        if (nested[field.name] === undefined && field.default !== undefined)
          nested[field.name] = field.default;
      }
      out[property.name] = nested;
    }
  }
  if (out.chargeType === "PrePaid" && out.periodUnit === undefined) out.periodUnit = "Month";
  return out as DesktopBatchInputs;
}

/**
 * The models' amounts added up (1 without models); unknown during preview when any of them is. An amount that
 * is not a whole number counts 0 here and is reported by check().
 */
function amountOf(models: unknown): number | string {
  if (isUnknown(models)) return UNKNOWN;
  if (!Array.isArray(models) || !models.length) return 1;
  let total = 0;
  for (const model of models) {
    const amount = (model as { amount?: unknown } | null)?.amount;
    if (isUnknown(model) || isUnknown(amount)) return UNKNOWN;
    if (typeof amount === "number" && Number.isInteger(amount)) total += amount;
  }
  return total;
}
