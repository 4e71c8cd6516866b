/** Cross-field rules. Each is declared (id, properties, text) in the schema's x-ecd-rules; the text is the message. */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { hostnameTemplateProblem, parseHostnameTemplate } from "./hostname";
import { MAX_PER_CALL } from "./createRequests";
import type { DesktopBatchInputs } from "./inputs";
import { suffixLength } from "./attributes/names";

const MAX_NAME_LENGTH = 64;

type RuleCheck = (inputs: DesktopBatchInputs, rule: string) => CheckFailure[];

const fail = (property: string, reason: string): CheckFailure[] => [{ property, reason }];

const PERIODS: Record<string, number[]> = { Month: [1, 2, 3, 6], Year: [1, 2, 3, 4, 5] };

export const CROSS_FIELD_CHECKS: Record<string, RuleCheck> = {
  bundleOrAttachment: (inputs, rule) => {
    if (inputs.bundleId || inputs.bundleModels?.length) return [];
    const attachment = inputs.desktopAttachment;
    if (attachment?.desktopType && attachment.imageId) return [];
    return fail(attachment ? "desktopAttachment" : "bundleId", `no desktop template given: ${rule}`);
  },
  perUserDivisible: (inputs, rule) => {
    const users = inputs.endUserIds?.length ?? 0;
    if (inputs.userAssignMode !== "PER_USER" || users === 0) return [];
    const amount = inputs.amount ?? 1;
    return amount % users === 0
      ? []
      : fail("amount", `amount ${amount} is not divisible by ${users} endUserIds: ${rule}`);
  },
  periodForPrePaid: (inputs, rule) => {
    if (inputs.chargeType !== "PrePaid") {
      return inputs.period !== undefined
        ? fail("period", `period is only used with chargeType PrePaid: ${rule}`)
        : [];
    }
    const unit = inputs.periodUnit ?? "Month";
    if (inputs.period === undefined) return fail("period", `period is required: ${rule}`);
    return PERIODS[unit]?.includes(inputs.period)
      ? []
      : fail("period", `period ${inputs.period} is not valid for periodUnit ${unit}: ${rule}`);
  },
  encryptionKey: (inputs, rule) => {
    if (inputs.volumeEncryptionEnabled && !inputs.volumeEncryptionKey) {
      return fail("volumeEncryptionKey", `volumeEncryptionKey is missing: ${rule}`);
    }
    if (!inputs.volumeEncryptionEnabled && inputs.volumeEncryptionKey) {
      return fail(
        "volumeEncryptionEnabled",
        `volumeEncryptionKey is set but encryption is not enabled: ${rule}`,
      );
    }
    return [];
  },
  memberIpSingle: (inputs, rule) =>
    inputs.desktopMemberIp && (inputs.amount ?? 1) !== 1
      ? fail("desktopMemberIp", `amount is ${inputs.amount}: ${rule}`)
      : [],
  hostnameSequence: (inputs, rule) => {
    if (!inputs.hostname) return [];
    const amount = inputs.amount ?? 1;
    if (!parseHostnameTemplate(inputs.hostname) && amount > 1) {
      return fail("hostname", `a fixed hostname cannot name ${amount} desktops: ${rule}`);
    }
    const problem = hostnameTemplateProblem(inputs.hostname, amount);
    return problem ? fail("hostname", `${problem}: ${rule}`) : [];
  },
  essdPerformanceLevel: (inputs, rule) => {
    const a = inputs.desktopAttachment;
    if (!a) return [];
    const failures: CheckFailure[] = [];
    if (a.systemDiskCategory === "cloud_essd" && !a.systemDiskPerLevel) {
      failures.push({
        property: "desktopAttachment.systemDiskPerLevel",
        reason: `systemDiskPerLevel is required for cloud_essd: ${rule}`,
      });
    }
    if (a.dataDiskCategory === "cloud_essd" && !a.dataDiskPerLevel && (a.dataDiskSize ?? 0) > 0) {
      failures.push({
        property: "desktopAttachment.dataDiskPerLevel",
        reason: `dataDiskPerLevel is required for cloud_essd: ${rule}`,
      });
    }
    if (a.systemDiskCategory && a.dataDiskCategory && a.systemDiskCategory !== a.dataDiskCategory) {
      failures.push({
        property: "desktopAttachment.dataDiskCategory",
        reason: `system disk is ${a.systemDiskCategory} but data disk is ${a.dataDiskCategory}: ${rule}`,
      });
    }
    return failures;
  },
  autoRenewPrePaid: (inputs, rule) =>
    inputs.autoRenew && inputs.chargeType !== "PrePaid"
      ? fail("autoRenew", `chargeType is ${inputs.chargeType ?? "PostPaid"}: ${rule}`)
      : [],
  bundleModelsOneCall: (inputs, rule) => {
    const models = inputs.bundleModels ?? [];
    if (!models.length) return [];
    const failures: CheckFailure[] = [];
    const total = models.reduce((sum, model) => sum + (model.amount ?? 0), 0);
    if (total > MAX_PER_CALL)
      failures.push({ property: "bundleModels", reason: `the models add up to ${total}: ${rule}` });
    for (const name of ["hostname", "endUserIds"] as const) {
      if (inputs[name] !== undefined)
        failures.push({ property: name, reason: `${name} is set beside bundleModels: ${rule}` });
    }
    if (inputs.userAssignMode === "PER_USER") {
      failures.push({ property: "userAssignMode", reason: `PER_USER is set beside bundleModels: ${rule}` });
    }
    return failures;
  },
  bundleModelFields: (inputs, rule) =>
    (inputs.bundleModels ?? []).flatMap((model, index) => {
      const at = `bundleModels[${index}]`;
      const failures: CheckFailure[] = [];
      if (model.volumeEncryptionEnabled && !model.volumeEncryptionKey) {
        failures.push({
          property: `${at}.volumeEncryptionKey`,
          reason: `volumeEncryptionKey is missing: ${rule}`,
        });
      }
      if (!model.volumeEncryptionEnabled && model.volumeEncryptionKey) {
        failures.push({
          property: `${at}.volumeEncryptionEnabled`,
          reason: `a key is set but encryption is not enabled: ${rule}`,
        });
      }
      if (model.hostname) {
        const amount = model.amount ?? 1;
        const problem =
          !parseHostnameTemplate(model.hostname) && amount > 1
            ? `a fixed hostname cannot name ${amount} desktops`
            : hostnameTemplateProblem(model.hostname, amount);
        if (problem) failures.push({ property: `${at}.hostname`, reason: `${problem}: ${rule}` });
      }
      return failures;
    }),
  bundleModelsAmount: (inputs, rule) => {
    if (!inputs.bundleModels?.length) return [];
    const sum = inputs.bundleModels.reduce((total, model) => total + (model.amount ?? 0), 0);
    return sum === (inputs.amount ?? 1)
      ? []
      : fail("amount", `amount is ${inputs.amount ?? 1} but the bundleModels add up to ${sum}: ${rule}`);
  },
  adoptionFitsAmount: (inputs, rule) => {
    const adopted = inputs.adoptDesktopIds?.length ?? 0;
    const amount = inputs.amount ?? 1;
    return adopted > amount
      ? fail("adoptDesktopIds", `${adopted} desktops are listed but amount is ${amount}: ${rule}`)
      : [];
  },
  nameWithSuffix: (inputs, rule) => {
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
            `${name.length} characters leave no room for the suffix -${count} (${longest} in all): ${rule}`,
          )
        : [];
    });
  },
};
