import { INPUTS } from "./schemaModel";
import type { DesktopBatchInputs } from "./inputs";

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
  if (out.amount === undefined) {
    out.amount = news.bundleModels?.length
      ? news.bundleModels.reduce((total, model) => total + (model.amount ?? 0), 0)
      : 1;
  }
  for (const property of INPUTS) {
    if (out[property.name] === undefined && property.default !== undefined)
      out[property.name] = property.default;
    if (property.shape.type === "object" && out[property.name] && typeof out[property.name] === "object") {
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
