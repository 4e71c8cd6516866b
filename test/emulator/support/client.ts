import OpenApiClient, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import { RuntimeOptions } from "@alicloud/tea-util";
import type { RunningEmulator } from "../../../emulator";

/** Test-only flattener (the same rules as OpenApiUtil.query): `K.1`, `K.1.F`, `K.F`; null/undefined dropped. */
export function flatten(
  params: Record<string, unknown>,
  prefix = "",
  out: Record<string, string> = {},
): Record<string, string> {
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item !== null && typeof item === "object")
          flatten(item as Record<string, unknown>, `${name}.${i + 1}`, out);
        else if (item !== undefined && item !== null) out[`${name}.${i + 1}`] = String(item);
      });
    } else if (typeof value === "object") {
      flatten(value as Record<string, unknown>, name, out);
    } else {
      out[name] = String(value);
    }
  }
  return out;
}

export interface ClientOptions {
  signatureAlgorithm?: "v2";
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
}

export function makeClient(emu: RunningEmulator, options: ClientOptions = {}): OpenApiClient {
  const credential = emu.credentials[0];
  return new OpenApiClient(
    new Config({
      accessKeyId: options.accessKeyId ?? credential.accessKeyId,
      accessKeySecret: options.accessKeySecret ?? credential.accessKeySecret,
      securityToken: options.securityToken,
      endpoint: emu.endpoint,
      protocol: "http",
      readTimeout: 10000,
      connectTimeout: 10000,
      signatureAlgorithm: options.signatureAlgorithm,
    }),
  );
}

export interface CallExtras {
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

export type Body = Record<string, unknown>;

/** Calls an ECD action exactly as the product SDK does (RPC, POST, params flattened into the query). */
export async function callEcd(
  client: OpenApiClient,
  action: string,
  params: Record<string, unknown>,
  extras: CallExtras = {},
): Promise<Body> {
  const request = new OpenApiRequest({
    query: { ...flatten(params), ...extras.query },
    headers: extras.headers,
  });
  const result = await client.callApi(
    new Params({
      action,
      version: "2020-09-30",
      protocol: "HTTP",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    }),
    request,
    new RuntimeOptions({}),
  );
  return result.body as Body;
}

export interface EcdCallError {
  code: string;
  statusCode: number;
  data: Body;
  message: string;
}

/** Awaits a call that must fail with an ECD error and returns what the client threw. */
export async function ecdError(promise: Promise<unknown>): Promise<EcdCallError> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: unknown; statusCode?: unknown; data?: unknown; message?: unknown };
    if (typeof e.code !== "string" || typeof e.statusCode !== "number") throw error;
    return { code: e.code, statusCode: e.statusCode, data: e.data as Body, message: String(e.message) };
  }
  throw new Error("expected the call to fail");
}

/**
 * Follows NextToken to the end and returns every page's list. With `token`, starts at the page it names (the
 * pages after the one that issued it). More than 100 pages is taken as a token that never ends.
 */
export async function walkPages(
  call: (action: string, params: Record<string, unknown>) => Promise<Body>,
  action: string,
  params: Record<string, unknown>,
  listKey: string,
  token?: string,
): Promise<Body[][]> {
  const pages: Body[][] = [];
  let next = token;
  do {
    const body = await call(action, { ...params, NextToken: next });
    pages.push(body[listKey] as Body[]);
    next = body.NextToken as string | undefined;
    if (pages.length >= 100) throw new Error(`${action}: NextToken did not end after 100 pages`);
  } while (next);
  return pages;
}
