/**
 * An ECD API error: what the HTTP layer renders as `{RequestId, HostId, Code, Message, Recommend}`.
 * Models throw these; nothing here knows about HTTP beyond the status number.
 */
export class EcdServiceError extends Error {
  override readonly name = "EcdServiceError";

  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(message);
  }

  toJSON(): { code: string; message: string; httpStatus: number } {
    return { code: this.code, message: this.message, httpStatus: this.httpStatus };
  }
}

const err = (code: string, message: string, httpStatus = 400): EcdServiceError =>
  new EcdServiceError(code, message, httpStatus);

export const DESKTOP_STATUS_MESSAGE = "The current status of the desktop does not support this operation.";

/** Every error code the emulator can answer with, by name. */
export const Errors = {
  // Gateway / protocol
  invalidAction: (action: string) =>
    err(
      "InvalidAction.NotFound",
      `Specified api is not found, please check your url and method. Action: ${action}`,
      404,
    ),
  invalidVersion: (version: string) =>
    err(
      "InvalidApi.NotFound",
      `Specified api is not found, please check your url and method. Version: ${version || "(missing)"}`,
      404,
    ),
  missingRegionId: () => err("MissingRegionId", "RegionId is mandatory for this action."),
  // Assumption: the not-found code for an unknown region is not documented for ECD.
  invalidRegionId: (regionId: string) =>
    err("InvalidRegionId.NotFound", `The specified RegionId "${regionId}" does not exist.`),
  invalidAccessKeyId: () => err("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404),
  incompleteSignature: (detail: string) =>
    err("IncompleteSignature", `The request signature does not conform to Aliyun standards. ${detail}`),
  signatureDoesNotMatch: (detail = "") =>
    err(
      "SignatureDoesNotMatch",
      `Specified signature is not matched with our calculation.${detail ? " " + detail : ""}`,
    ),
  timestampExpired: (timestamp: string) =>
    err("InvalidTimeStamp.Expired", `Specified time stamp or date value is expired. Timestamp: ${timestamp}`),
  timestampFormat: (timestamp: string) =>
    err("InvalidTimeStamp.Format", `Specified time stamp or date value is not well formatted: ${timestamp}`),
  nonceUsed: () => err("SignatureNonceUsed", "Specified signature nonce was used already."),
  securityTokenMismatch: () =>
    err("InvalidSecurityToken.MismatchWithAccessKey", "The security token does not match the access key."),

  // Faults
  throttling: () => err("Throttling.User", "Request was denied due to user flow control."),
  serviceUnavailable: () =>
    err("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 503),
  resetInFlight: () =>
    err(
      "ServiceUnavailable",
      "The emulator was reset while this request was in flight; the request was not applied.",
      503,
    ),
  internalError: () =>
    err(
      "InternalError",
      "The request processing has failed due to some unknown error, exception or failure.",
      500,
    ),

  // Generic parameter errors
  missingParameter: (name: string) =>
    err(/^\w+$/.test(name) ? `Missing${name}` : "MissingParameter", `${name} is mandatory for this action.`),
  invalidParameter: (name: string, detail = "") =>
    err("InvalidParameter", `The specified parameter ${name} is not valid.${detail ? " " + detail : ""}`),
  invalidParameterCode: (code: string, message: string) => err(code, message),

  // Resources
  // Assumption: the codes; the message follows the SDK's ModifyDesktopsPolicyGroup ModifyResults example.
  desktopNotFound: (id: string) =>
    err("InvalidDesktopId.NotFound", `The specified param DesktopId ${id} is not found.`),
  resourceNotFound: (id: string) =>
    err("InvalidResourceId.NotFound", `The specified param ResourceId ${id} is not found.`),
  bundleNotFound: () => err("InvalidDesktopBundle.NotFound", "The specified param BundleId is not found."),
  directoryNotFound: () =>
    err("InvalidDirectoryId.NotFound", "The specified param DirectoryId is not found."),
  incorrectDirectoryStatus: () =>
    err("IncorrectDirectoryStatus", "Only registered directory can create desktop."),
  policyGroupNotFound: (id: string) =>
    err("InvalidPolicyGroupId.NotFound", `The specified policy group ${id} is not found.`),
  policyGroupStatus: () => err("InvalidPolicyGroup.Status", "The target policy group is being created."),
  desktopTypeNotFound: (id: string) =>
    err("InvalidDesktopType.NotFound", `The specified desktop type ${id} is not found.`),
  imageNotFound: (id: string) => err("InvalidImageId.NotFound", `The specified image ${id} is not found.`),
  imageStatusNotValid: (id: string, status: string) =>
    err("InvalidImageStatus.NotValid", `The specified image status is not valid. Image ${id} is ${status}.`),
  imageVersionNotSupported: (id: string) =>
    err(
      "InvalidImageVersion.NotSupported",
      `The specified image version is no longer supported. Image: ${id}.`,
    ),
  // "Procotol" is the reference's spelling of the service's message.
  protocolNotAllowed: (id: string, protocol: string) =>
    err("Protocol.NotAllowed", `Procotol of the image is not allowed. Image ${id} uses ${protocol}.`),
  directoryTypeNotSupported: (type: string) =>
    err("InvalidDirectoryType.NotSupported", `The specified DirectoryType is not supported: ${type}.`),
  incorrectDirectoryType: (siteProtocol: string, desktopProtocol: string) =>
    err(
      "IncorrectDirectoryType",
      `The protocol type of directory and desktop do not match: ${siteProtocol} and ${desktopProtocol}.`,
    ),
  usersNotFound: (ids: string[]) =>
    err("InvalidUsers.NotFound", `The specified end users are not found: ${ids.join(", ")}.`),

  // CreateDesktops
  invalidAmount: () => err("InvalidAmount", "The specified Amount is not a valid value."),
  amountNotTimesOfUsers: () =>
    err("InvalidAmount.NotTimesOfUsers", "The specified Amount is notmatch EndUserId size."),
  memberIpAmount: () => err("InvalidMemberIp.DesktopAmount", "The desktop amount need to be 1."),
  memberIpInvalid: (ip: string, detail: string) =>
    err("InvalidMemberIp.Invalid", `The specified DesktopMemberIp ${ip} is not valid: ${detail}.`),
  memberIpUsed: (ip: string) =>
    err("InvalidMemberIp.Used", `The specified DesktopMemberIp ${ip} is already in use.`),
  encryptionKeyMissing: () =>
    err("InvalidEncryptionKey.Missing", "Parameter VolumeEncryptionKey is missing."),
  encryptionKeyNotAuthorized: () =>
    err("InvalidEncryptionKey.NotAuthorized", "Eds service cannot access the given VolumeEncryptionKey."),
  encryptionKeyNotFound: () =>
    err("InvalidEncryptionKey.NotFound", "The specified VolumeEncryptionKey is not found."),
  encryptionEnabledInvalid: () =>
    err("InvalidEncryptionEnabled.Invalid", "The parameter VolumeEncryptionEnabled is invalid."),
  hostnameForLinux: () =>
    err("HostnameCannotCustomizeForLinux", "Customizing hostname is not supported for Linux desktop."),
  hostnameNotAd: () =>
    err(
      "InvalidParameter.Hostname",
      "The Hostname parameter is available only for desktops in an AD office network.",
    ),
  hostnameMalformed: (hostname: string, detail: string) =>
    err("InvalidHostname.Malformed", `The specified Hostname ${hostname} is not valid: ${detail}.`),
  hostnameExists: (hostname: string) =>
    err("ExistedHostname", `The specified hostname is existed on the domain: ${hostname}.`),
  desktopNameMalformed: (name: string) =>
    err(
      "InvalidDesktopName.Malformed",
      `The specified desktop name "${name}" is not valid. It must be 1 to 64 characters, start with a letter or a ` +
        "Chinese character, and contain only letters, digits, Chinese characters, colons (:), underscores (_), " +
        "periods (.) and hyphens (-).",
    ),
  invalidPeriod: (detail: string) => err("InvalidPeriod", `The specified Period is not valid: ${detail}.`),
  invalidPeriodUnit: (unit: string) =>
    err("InvalidPeriodUnit", `The specified PeriodUnit ${unit} is not valid.`),
  invalidChargeType: (chargeType: string) =>
    err("InvalidChargeType", `The specified ChargeType ${chargeType} is not valid.`),
  invalidDisk: (code: string, detail: string) => err(code, detail),

  // Tags
  tagKeyMalformed: (key: string) =>
    err("InvalidTagKey.Malformed", `The specified tag key "${key}" is not valid.`),
  tagValueMalformed: (value: string) =>
    err("InvalidTagValue.Malformed", `The specified tag value "${value}" is not valid.`),
  tagCount: (detail: string) => err("InvalidTagCount", `The number of tags is not valid: ${detail}.`),
  invalidResourceType: (type: string) =>
    err("InvalidResourceType.NotSupported", `The specified ResourceType ${type} is not supported.`),

  // Lifecycle
  incorrectDesktopStatus: (id?: string, status?: string) =>
    err(
      "IncorrectDesktopStatus",
      id ? `${DESKTOP_STATUS_MESSAGE} DesktopId: ${id}, status: ${status}.` : DESKTOP_STATUS_MESSAGE,
    ),
  chargeTypeUnsupported: (id: string) =>
    err(
      "InvalidChargeType.Unsupported",
      `The subscription desktop ${id} cannot be released before it expires.`,
    ),
  chargeTypeUnchanged: (id: string, chargeType: string) =>
    err("InvalidChargeType.Unchanged", `The desktop ${id} already uses charge type ${chargeType}.`),
  desktopUpdating: (id: string) =>
    err("IncorrectDesktopStatus", `${DESKTOP_STATUS_MESSAGE} DesktopId: ${id} is being updated.`),
  specNoChange: () =>
    err(
      "InvalidDesktopSpec.NoChange",
      "At least one of DesktopType, RootDiskSizeGib or UserDiskSizeGib must change.",
    ),
  rebuildOsChange: (id: string, regionId: string, from: string, to: string) =>
    err(
      "InvalidImage.OsTypeChangeNotSupported",
      `${id} runs ${from}; in ${regionId} a desktop cannot be rebuilt to an image of another operating system (${to}).`,
    ),
  rebuildGpuMismatch: (id: string, fromGpu: boolean) =>
    err(
      "InvalidImage.GpuMismatch",
      fromGpu
        ? `${id} runs a GPU image and cannot be rebuilt to a non-GPU image.`
        : `${id} runs a non-GPU image and cannot be rebuilt to a GPU image.`,
    ),
  specFamily: (from: string, to: string, rule: string) =>
    err(
      "InvalidDesktopType.FamilyNotSupported",
      `Changing the desktop type from ${from} to ${to} is not supported: ${rule}.`,
    ),
  // Assumption: the code; the API docs only ask to wait 5 minutes between two configuration changes.
  specTooFrequent: (id: string, waitSeconds: number, code = "OperationDenied.TooFrequent") =>
    err(
      code,
      `Wait at least 5 minutes between two configuration changes of desktop ${id}; retry in ${waitSeconds} s.`,
    ),
  nextToken: () => err("InvalidParameter.NextToken", "The specified NextToken is not valid."),
} as const;
