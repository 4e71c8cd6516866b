import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EcdCredentialsError } from "./errors";

export interface StaticCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Where credentials came from, for messages; never the credentials themselves. */
export interface ResolvedCredentials {
  source: string;
  /** Static keys, or undefined when the @alicloud/credentials default chain supplies them at call time. */
  keys?: StaticCredentials;
}

const ENV_PAIRS: { id: string; secret: string; token: string }[] = [
  {
    id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
    secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    token: "ALIBABA_CLOUD_SECURITY_TOKEN",
  },
  { id: "ALICLOUD_ACCESS_KEY", secret: "ALICLOUD_SECRET_KEY", token: "ALICLOUD_SECURITY_TOKEN" },
];

const DEFAULT_CHAIN_SIGNALS = [
  "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
  "ALIBABA_CLOUD_CREDENTIALS_URI",
  "ALIBABA_CLOUD_ECS_METADATA",
  "ALIBABA_CLOUD_PROFILE",
  "ALIBABA_CLOUD_CREDENTIALS_FILE",
];

/**
 * Explicit keys first, then the environment variables Alibaba tools already use, then the default chain of
 * @alicloud/credentials (profiles, OIDC, ECS RAM role). The default chain is chosen only when something
 * points at it, so a machine with nothing configured gets a clear error instead of a metadata-server probe.
 */
export function resolveCredentials(
  explicit: Partial<StaticCredentials> | undefined,
  env: NodeJS.ProcessEnv = process.env,
  profileFileExists: () => boolean = defaultProfileExists,
): ResolvedCredentials {
  const lookedAt: string[] = [];
  if (explicit?.accessKeyId || explicit?.accessKeySecret) {
    if (!explicit.accessKeyId || !explicit.accessKeySecret) {
      throw new Error(
        "Incomplete credentials: both an access key ID and an access key secret are needed (alicloud:accessKey and alicloud:secretKey)",
      );
    }
    return {
      source: "explicit configuration",
      keys: {
        accessKeyId: explicit.accessKeyId,
        accessKeySecret: explicit.accessKeySecret,
        securityToken: explicit.securityToken || undefined,
      },
    };
  }
  lookedAt.push("provider configuration (alicloud:accessKey, alicloud:secretKey)");
  for (const pair of ENV_PAIRS) {
    const id = env[pair.id];
    const secret = env[pair.secret];
    if (id && secret) {
      return {
        source: `environment (${pair.id})`,
        keys: { accessKeyId: id, accessKeySecret: secret, securityToken: env[pair.token] || undefined },
      };
    }
    lookedAt.push(`environment ${pair.id} / ${pair.secret}`);
  }
  const signal = DEFAULT_CHAIN_SIGNALS.find((name) => env[name]);
  if (signal || profileFileExists()) {
    return {
      source: `@alicloud/credentials default chain (${signal ?? "~/.alibabacloud/credentials or ~/.aliyun/config.json"})`,
    };
  }
  lookedAt.push(
    "@alicloud/credentials default chain (OIDC, credentials URI, ECS RAM role, ~/.alibabacloud/credentials, ~/.aliyun/config.json)",
  );
  throw new EcdCredentialsError(lookedAt);
}

function defaultProfileExists(): boolean {
  const home = os.homedir();
  return [path.join(home, ".alibabacloud", "credentials"), path.join(home, ".aliyun", "config.json")].some(
    (file) => fs.existsSync(file),
  );
}
