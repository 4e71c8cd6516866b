/**
 * Cross-field rules. Each is declared (id, properties, text) in the schema's x-ecd-rules, which the reference
 * docs print; each check here words its failure for the case at hand, as one sentence that starts with the
 * property, says what is wrong with the values given and what the rule asks.
 */
import type { CheckFailure } from "./lifecycle";
import { hostnameTemplateProblem, parseHostnameTemplate } from "./hostname";
import { MAX_PER_CALL } from "./createRequests";
import type { DesktopBatchInputs } from "./inputs";
import { hostnamePhrase, shown } from "./show";
import { suffixLength } from "./attributes/names";
import { ADOPTED_TAG, ADOPTING_PROVIDER_TAG_COUNT, ECD_TAGS_PER_DESKTOP, STOPPED_FOR_TAG } from "./identity";

const MAX_NAME_LENGTH = 64;

/** What a rule may need beyond the inputs: whether they are for a create (no batch recorded yet). */
export interface RuleContext {
  creating: boolean;
}

type RuleCheck = (inputs: DesktopBatchInputs, context: RuleContext) => CheckFailure[];

const fail = (property: string, reason: string): CheckFailure[] => [{ property, reason }];

const PERIODS: Record<string, number[]> = { Month: [1, 2, 3, 6], Year: [1, 2, 3, 4, 5] };

const listed = (values: number[]): string =>
  `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;

/** Why `hostname` cannot name `amount` desktops (the prefix is the property path), or undefined. */
function hostnameSequenceProblem(hostname: string, amount: number): string | undefined {
  if (!parseHostnameTemplate(hostname) && amount > 1) {
    return `${shown(hostname)}: a fixed hostname cannot name ${amount} desktops; use a sequence such as ${hostname.slice(0, 8)}-[1,4]`;
  }
  const problem = hostnameTemplateProblem(hostname, amount);
  return problem && hostnamePhrase(hostname, problem);
}

export const CROSS_FIELD_CHECKS: Record<string, RuleCheck> = {
  bundleOrAttachment: (inputs) => {
    if (inputs.bundleId || inputs.bundleModels?.length) return [];
    const attachment = inputs.desktopAttachment;
    if (attachment?.desktopType && attachment.imageId) return [];
    return attachment
      ? fail(
          "desktopAttachment",
          "desktopAttachment needs both desktopType and imageId when no bundleId or bundleModels is given",
        )
      : fail(
          "bundleId",
          "bundleId is required (or bundleModels, or desktopAttachment with desktopType and imageId): no desktop template given",
        );
  },
  attachmentWithoutBundle: (inputs) =>
    inputs.desktopAttachment && inputs.bundleId
      ? fail(
          "desktopAttachment",
          "desktopAttachment cannot be combined with bundleId, which CreateDesktops would use instead: remove one of them",
        )
      : [],
  perUserDivisible: (inputs) => {
    const users = inputs.endUserIds?.length ?? 0;
    if (inputs.userAssignMode !== "PER_USER" || users === 0) return [];
    const amount = inputs.amount ?? 1;
    return amount % users === 0
      ? []
      : fail(
          "amount",
          `amount ${amount} is not divisible by ${users} endUserIds, as userAssignMode PER_USER requires`,
        );
  },
  periodForPrePaid: (inputs) => {
    if (inputs.chargeType !== "PrePaid") {
      return inputs.period !== undefined && inputs.period !== null
        ? fail("period", "period is only used with chargeType PrePaid: remove it or set chargeType PrePaid")
        : [];
    }
    const unit = inputs.periodUnit ?? "Month";
    const allowed = PERIODS[unit] ?? [];
    if (inputs.period === undefined || inputs.period === null)
      return fail("period", `period is required with chargeType PrePaid: ${listed(allowed)} for ${unit}`);
    return allowed.includes(inputs.period)
      ? []
      : fail(
          "period",
          `period ${inputs.period} is not valid for periodUnit ${unit}, which takes ${listed(allowed)}`,
        );
  },
  encryptionKey: (inputs) => {
    if (inputs.volumeEncryptionEnabled && !inputs.volumeEncryptionKey) {
      return fail(
        "volumeEncryptionKey",
        "volumeEncryptionKey is missing: volumeEncryptionEnabled true needs the KMS key ID",
      );
    }
    if (!inputs.volumeEncryptionEnabled && inputs.volumeEncryptionKey) {
      return fail(
        "volumeEncryptionEnabled",
        "volumeEncryptionEnabled must be true when volumeEncryptionKey is set (encryption is not enabled)",
      );
    }
    return [];
  },
  memberIpSingle: (inputs) =>
    inputs.desktopMemberIp && (inputs.amount ?? 1) !== 1
      ? fail(
          "desktopMemberIp",
          `desktopMemberIp is only allowed with amount 1, and amount is ${inputs.amount}`,
        )
      : [],
  hostnameSequence: (inputs) => {
    if (!inputs.hostname) return [];
    const problem = hostnameSequenceProblem(inputs.hostname, inputs.amount ?? 1);
    return problem ? fail("hostname", `hostname ${problem}`) : [];
  },
  essdPerformanceLevel: (inputs) => {
    const a = inputs.desktopAttachment;
    if (!a) return [];
    const failures: CheckFailure[] = [];
    if (a.systemDiskCategory === "cloud_essd" && !a.systemDiskPerLevel) {
      failures.push({
        property: "desktopAttachment.systemDiskPerLevel",
        reason: "desktopAttachment.systemDiskPerLevel (PL0 or PL1) is required for cloud_essd system disks",
      });
    }
    if (a.dataDiskCategory === "cloud_essd" && !a.dataDiskPerLevel && (a.dataDiskSize ?? 0) > 0) {
      failures.push({
        property: "desktopAttachment.dataDiskPerLevel",
        reason: "desktopAttachment.dataDiskPerLevel (PL0 or PL1) is required for cloud_essd data disks",
      });
    }
    if (a.systemDiskCategory && a.dataDiskCategory && a.systemDiskCategory !== a.dataDiskCategory) {
      failures.push({
        property: "desktopAttachment.dataDiskCategory",
        reason: `desktopAttachment.dataDiskCategory must match systemDiskCategory, but the system disk is ${a.systemDiskCategory} and the data disk ${a.dataDiskCategory}`,
      });
    }
    return failures;
  },
  autoRenewPrePaid: (inputs) =>
    inputs.autoRenew && inputs.chargeType !== "PrePaid"
      ? fail(
          "autoRenew",
          `autoRenew takes effect only with chargeType PrePaid, and chargeType is ${inputs.chargeType ?? "PostPaid"}`,
        )
      : [],
  bundleModelsOneCall: (inputs) => {
    const models = inputs.bundleModels ?? [];
    if (!models.length) return [];
    const failures: CheckFailure[] = [];
    const total = models.reduce((sum, model) => sum + (model.amount ?? 0), 0);
    if (total > MAX_PER_CALL) {
      failures.push({
        property: "bundleModels",
        reason: `bundleModels add up to ${total} desktops, but they go out in one CreateDesktops call, which takes at most ${MAX_PER_CALL}`,
      });
    }
    for (const name of ["hostname", "endUserIds"] as const) {
      if (inputs[name] !== undefined && inputs[name] !== null)
        failures.push({
          property: name,
          reason: `${name} cannot be set beside bundleModels: give it per model (bundleModels[].${name})`,
        });
    }
    if (inputs.userAssignMode === "PER_USER") {
      failures.push({
        property: "userAssignMode",
        reason: "userAssignMode PER_USER cannot be set beside bundleModels: give endUserIds per model",
      });
    }
    return failures;
  },
  bundleModelFields: (inputs) =>
    (inputs.bundleModels ?? []).flatMap((model, index) => {
      const at = `bundleModels[${index}]`;
      const failures: CheckFailure[] = [];
      if (model.volumeEncryptionEnabled && !model.volumeEncryptionKey) {
        failures.push({
          property: `${at}.volumeEncryptionKey`,
          reason: `${at}.volumeEncryptionKey is missing: volumeEncryptionEnabled true needs the KMS key ID`,
        });
      }
      if (!model.volumeEncryptionEnabled && model.volumeEncryptionKey) {
        failures.push({
          property: `${at}.volumeEncryptionEnabled`,
          reason: `${at}.volumeEncryptionEnabled must be true when the model's volumeEncryptionKey is set (encryption is not enabled)`,
        });
      }
      if (model.hostname) {
        const problem = hostnameSequenceProblem(model.hostname, model.amount ?? 1);
        if (problem) failures.push({ property: `${at}.hostname`, reason: `${at}.hostname ${problem}` });
      }
      return failures;
    }),
  bundleModelsAmount: (inputs) => {
    if (!inputs.bundleModels?.length) return [];
    const sum = inputs.bundleModels.reduce((total, model) => total + (model.amount ?? 0), 0);
    return sum === (inputs.amount ?? 1)
      ? []
      : fail(
          "amount",
          `amount is ${inputs.amount ?? 1} but the bundleModels add up to ${sum}: with bundleModels, amount must equal their sum`,
        );
  },
  adoptionFitsAmount: (inputs) => {
    const adopted = inputs.adoptDesktopIds?.length ?? 0;
    const amount = inputs.amount ?? 1;
    return adopted > amount
      ? fail(
          "adoptDesktopIds",
          `adoptDesktopIds lists ${adopted} desktops but amount is ${amount}: adopted desktops count toward amount, so it can list at most amount`,
        )
      : [];
  },
  // Only a create marks what it adopts as adopted: an update adopting into a recorded batch keeps two tags of its own.
  adoptionLeavesTagRoom: (inputs, { creating }) => {
    const count = Object.keys(inputs.tags ?? {}).length;
    const most = ECD_TAGS_PER_DESKTOP - ADOPTING_PROVIDER_TAG_COUNT;
    return creating && inputs.adoptDesktopIds?.length && count > most
      ? fail(
          "tags",
          `tags has ${count} tags, but a batch with adoptDesktopIds can have at most ${most}: while a create adopts a ` +
            `desktop the provider keeps up to ${ADOPTING_PROVIDER_TAG_COUNT} tags of its own on it (${ADOPTED_TAG}, and ` +
            `${STOPPED_FOR_TAG} while its spec changes, among them) ` +
            `and ECD allows ${ECD_TAGS_PER_DESKTOP}; remove ${count - most} tag(s)`,
        )
      : [];
  },
  nameWithSuffix: (inputs) => {
    const names = [
      { property: "desktopName", name: inputs.desktopName, count: inputs.amount ?? 1 },
      ...(inputs.bundleModels ?? []).map((model, index) => ({
        property: `bundleModels[${index}].desktopName`,
        name: model.desktopName,
        count: model.amount ?? 1,
      })),
    ];
    return names.flatMap(({ property, name, count }) => {
      if (name === undefined) return [];
      const longest = name.length + suffixLength(inputs, count);
      return longest > MAX_NAME_LENGTH
        ? fail(
            property,
            `${property} has ${name.length} characters, which leaves no room for the suffix -${count} the provider adds (${longest} in all); name and suffix must fit in 64 characters`,
          )
        : [];
    });
  },
};
