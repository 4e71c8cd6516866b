/**
 * Secrets across the plugin protocol. The plugin accepts secrets (Configure answers acceptSecrets), so the engine
 * sends a value the user marked secret wrapped in Pulumi's secret signature and trusts the plugin to return it
 * wrapped again. The core sees plain values; this face records where the secrets were, and marks the same
 * paths in what goes back, plus what the schema declares secret and every nested copy of a secret input in the
 * outputs (a secret tag value shows again in each desktop's tags).
 */
import { INPUTS } from "../desktopBatch/schemaModel";

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Path = readonly string[];
type Json = Record<string, unknown>;

export const isSecret = (value: unknown): value is { value: unknown } =>
  !!value && typeof value === "object" && (value as Json)[SIG_KEY] === SECRET_SIG;

export const secret = (value: unknown): Json => ({ [SIG_KEY]: SECRET_SIG, value });

/** The value without secret wrappers, and the paths where they were (a path to a map key or a list index too). */
export function unwrapSecrets(value: unknown): { plain: unknown; paths: Path[] } {
  const paths: Path[] = [];
  const walk = (item: unknown, path: string[]): unknown => {
    if (isSecret(item)) {
      paths.push(path);
      return walk(item.value, path);
    }
    if (Array.isArray(item)) return item.map((inner, index) => walk(inner, [...path, String(index)]));
    if (item && typeof item === "object") {
      return Object.fromEntries(
        Object.entries(item).map(([key, inner]) => [key, walk(inner, [...path, key])]),
      );
    }
    return item;
  };
  return { plain: walk(value, []), paths };
}

/** Wraps the value at each path (a path that no longer exists, or already wrapped, is left alone). */
export function markSecrets<T>(value: T, paths: readonly Path[]): T {
  let out: unknown = value;
  for (const path of paths) out = markAt(out, path);
  return out as T;
}

function markAt(value: unknown, path: Path): unknown {
  if (value === undefined) return undefined;
  if (isSecret(value)) return value;
  if (!path.length) return secret(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const index = Number(head);
    if (!Number.isInteger(index) || index < 0 || index >= value.length) return value;
    return value.map((item, i) => (i === index ? markAt(item, rest) : item));
  }
  if (value && typeof value === "object" && head in value) {
    return { ...(value as Json), [head]: markAt((value as Json)[head], rest) };
  }
  return value;
}

/** Inputs the schema declares secret (userCommands): secret whatever the program says. */
const DECLARED: Path[] = INPUTS.filter((property) => property.secret).map((property) => [property.name]);

/**
 * Where each input shows again inside every desktop of the `desktops` output: same-named fields, and the ones
 * DescribeDesktops names otherwise.
 */
const DESKTOP_COPIES: Readonly<Record<string, readonly string[]>> = {
  desktopName: ["desktopName"],
  hostname: ["hostName"],
  desktopMemberIp: ["networkInterfaceIp"],
  endUserIds: ["endUserIds"],
  chargeType: ["chargeType"],
  policyGroupId: ["policyGroupId", "policyGroupIds"],
  tags: ["tags"],
  bundleId: ["bundleId"],
  "desktopAttachment.imageId": ["imageId"],
  "desktopAttachment.desktopType": ["desktopType"],
  "desktopAttachment.systemDiskSize": ["systemDiskSize"],
  "desktopAttachment.dataDiskSize": ["dataDiskSize"],
};

/**
 * The paths to mark secret in outputs built from inputs whose secrets were at `inputPaths`: the same paths, the
 * declared ones, and the copies in each of `desktopCount` desktops (a secret map key stays a secret key there;
 * a secret list makes the whole field secret, since the desktops' lists are ordered differently).
 */
export function outputSecretPaths(inputPaths: readonly Path[], desktopCount: number): Path[] {
  const paths: Path[] = [...DECLARED, ...inputPaths];
  for (const path of inputPaths) {
    const nested = path.length >= 2 && `${path[0]}.${path[1]}` in DESKTOP_COPIES;
    const key = nested ? `${path[0]}.${path[1]}` : path[0];
    const fields = DESKTOP_COPIES[key];
    if (!fields) continue;
    const beyond = path.slice(nested ? 2 : 1);
    const keepsKey = key === "tags" && beyond.length > 0;
    for (let index = 0; index < desktopCount; index++) {
      for (const field of fields) {
        paths.push(["desktops", String(index), field, ...(keepsKey ? beyond : [])]);
      }
    }
  }
  return paths;
}

/** Declared secret inputs plus the paths the program marked. */
export const inputSecretPaths = (paths: readonly Path[]): Path[] => [...DECLARED, ...paths];
