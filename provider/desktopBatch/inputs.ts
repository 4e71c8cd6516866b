import type * as ops from "../ecd/operations";

export interface Timeouts {
  create?: string;
  update?: string;
  delete?: string;
}

export interface DesktopBatchInputs {
  regionId?: string;
  groupId?: string;
  bundleId?: string;
  desktopName?: string;
  userName?: string;
  vpcId?: string;
  amount?: number;
  directoryId?: string;
  officeSiteId?: string;
  policyGroupId?: string;
  chargeType?: string;
  period?: number;
  periodUnit?: string;
  autoPay?: boolean;
  autoRenew?: boolean;
  promotionId?: string;
  userAssignMode?: string;
  hostname?: string;
  endUserIds?: string[];
  tags?: Record<string, string>;
  desktopNameSuffix?: boolean;
  volumeEncryptionEnabled?: boolean;
  volumeEncryptionKey?: string;
  desktopMemberIp?: string;
  userCommands?: ops.UserCommand[];
  bundleModels?: ops.BundleModel[];
  desktopTimers?: ops.DesktopTimer[];
  subnetId?: string;
  monthDesktopSetting?: ops.MonthDesktopSetting;
  snapshotPolicyId?: string;
  resourceGroupId?: string;
  desktopAttachment?: ops.DesktopAttachment;
  timerGroupId?: string;
  savingPlanId?: string;
  resellerOwnerUid?: number;
  extendInfo?: string;
  appRuleId?: string;
  qosRuleId?: string;
  channelCookie?: string;
  adoptDesktopIds?: string[];
  releaseSubscriptionOnDelete?: boolean;
  timeouts?: Timeouts;
  batchToken?: string;
}
