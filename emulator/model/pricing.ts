import type { DescribePriceRequest } from "../api/requests";
import { Errors } from "../errors";
import { DESKTOP_TYPES } from "./seed";

/**
 * DescribePrice with a deterministic, made-up tariff (CNY): it only has to be stable and respond to the inputs
 * (type, disks, OS, period, amount), not match Alibaba Cloud's real prices.
 */

export interface WirePriceInfo {
  Price: {
    Currency: string;
    OriginalPrice: number;
    DiscountPrice: number;
    TradePrice: number;
    OrderLines: Record<string, string>;
    Promotions: {
      PromotionId: string;
      PromotionName: string;
      PromotionDesc: string;
      OptionCode: string;
      Selected: boolean;
    }[];
  };
  Rules: { RuleId: number; Description: string }[];
  FreeCdsQuota: boolean;
  FreeCdsSize: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const PERIODS: Record<string, readonly number[]> = { Hour: [1], Month: [1, 2, 3, 6], Year: [1, 2, 3] };

function diskHourly(size: number, category: string | undefined, level: string | undefined): number {
  if (category !== undefined && !["cloud_efficiency", "cloud_auto", "cloud_essd"].includes(category)) {
    throw Errors.invalidParameter("DiskCategory", "It must be cloud_efficiency, cloud_auto or cloud_essd.");
  }
  const factor =
    category === "cloud_essd"
      ? 1 + Number((level ?? "PL0").slice(2) || 0)
      : category === "cloud_efficiency"
        ? 0.5
        : 1;
  return size * 0.0004 * factor;
}

export function describePrice(request: DescribePriceRequest): { PriceInfo: WirePriceInfo } {
  const resourceType = request.ResourceType ?? "Desktop";
  // Assumption: only desktop pricing is emulated.
  if (resourceType !== "Desktop") {
    throw Errors.invalidParameter("ResourceType", "The emulator only supports ResourceType Desktop.");
  }
  // The SDK's DescribePriceRequest: both are required when ResourceType is Desktop.
  if (!request.InstanceType) throw Errors.missingParameter("InstanceType");
  if (request.RootDiskSizeGib === undefined) throw Errors.missingParameter("RootDiskSizeGib");
  const type = DESKTOP_TYPES.get(request.InstanceType);
  if (!type) throw Errors.desktopTypeNotFound(request.InstanceType);
  const osType = request.OsType ?? "Windows";
  if (osType !== "Windows" && osType !== "Linux")
    throw Errors.invalidParameter("OsType", "It must be Windows or Linux.");
  const unit = request.PeriodUnit ?? "Hour";
  const period = request.Period ?? 1;
  if (!PERIODS[unit]) throw Errors.invalidPeriodUnit(unit);
  if (!PERIODS[unit].includes(period))
    throw Errors.invalidPeriod(
      `with PeriodUnit ${unit} the Period must be one of ${PERIODS[unit].join(", ")}`,
    );
  const amount = request.Amount ?? 1;
  if (amount < 1 || amount > 300) throw Errors.invalidAmount();

  const hourly =
    type.cpu * 0.12 +
    (type.memoryMiB / 1024) * 0.03 +
    type.gpuCount * 6 +
    (osType === "Windows" ? 0.1 : 0) +
    diskHourly(request.RootDiskSizeGib, request.RootDiskCategory, request.RootDiskPerformanceLevel) +
    diskHourly(request.UserDiskSizeGib ?? 0, request.UserDiskCategory, request.UserDiskPerformanceLevel);
  const hours = unit === "Hour" ? period : unit === "Month" ? period * 720 * 0.55 : period * 12 * 720 * 0.55;
  const discountRate = unit === "Year" ? 0.15 : unit === "Month" && period >= 6 ? 0.05 : 0;
  const original = round2(hourly * hours * amount);
  const discount = round2(original * discountRate);
  const trade = round2(original - discount);
  return {
    PriceInfo: {
      Price: {
        Currency: "CNY",
        OriginalPrice: original,
        DiscountPrice: discount,
        TradePrice: trade,
        OrderLines: {},
        Promotions: [],
      },
      Rules:
        discountRate > 0
          ? [{ RuleId: 1001, Description: `Emulator ${discountRate * 100}% long-term discount` }]
          : [],
      FreeCdsQuota: false,
      FreeCdsSize: 0,
    },
  };
}
