/**
 * For the serialization benchmark only: the dynamic provider people usually write first — everything inline in
 * the program, the ECD calls made directly with @alicloud/openapi-client, the settings captured by the closure.
 * It does the core of DesktopBatch's job (create and wait, read, delete), without our validation or healing.
 */
import OpenApi, * as $OpenApi from "@alicloud/openapi-client";
import * as $Util from "@alicloud/tea-util";
import type * as pulumi from "@pulumi/pulumi";

interface Settings {
  regionId: string;
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
}

type Props = Record<string, unknown>;

export function naiveInlineProvider(settings: Settings): pulumi.dynamic.ResourceProvider {
  const flatten = (prefix: string, value: unknown, out: Record<string, string>): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) value.forEach((item, i) => flatten(`${prefix}.${i + 1}`, item, out));
    else if (typeof value === "object")
      for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, out);
    else out[prefix] = String(value);
  };
  const call = async (action: string, params: Props): Promise<Props> => {
    const client = new OpenApi(
      new $OpenApi.Config({
        ...settings,
        endpoint: settings.endpoint.replace(/^https?:\/\//, ""),
        protocol: "http",
      }),
    );
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries({ RegionId: settings.regionId, ...params }))
      flatten(key, value, query);
    const request = new $OpenApi.OpenApiRequest({ query });
    const api = new $OpenApi.Params({
      action,
      version: "2020-09-30",
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const response = await client.callApi(
      api,
      request,
      new $Util.RuntimeOptions({ readTimeout: 60000, connectTimeout: 10000 }),
    );
    return response.body as Props;
  };
  const describe = async (ids: string[]): Promise<Props[]> =>
    ((await call("DescribeDesktops", { DesktopId: ids, MaxResults: 100 })).Desktops as Props[]) ?? [];
  const waitUntil = async (ids: string[], done: (desktops: Props[]) => boolean): Promise<Props[]> => {
    for (;;) {
      const desktops = await describe(ids);
      if (done(desktops)) return desktops;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  };
  return {
    async create(inputs: Props) {
      const created = await call("CreateDesktops", {
        OfficeSiteId: inputs.officeSiteId,
        BundleId: inputs.bundleId,
        Amount: inputs.amount,
        DesktopName: inputs.desktopName,
        EndUserId: inputs.endUserIds,
      });
      const ids = created.DesktopId as string[];
      const desktops = await waitUntil(ids, (list) => list.every((d) => d.DesktopStatus === "Running"));
      return { id: ids.join(","), outs: { ...inputs, desktopIds: ids, desktops } };
    },
    async read(id: string, props: Props) {
      return { id, props: { ...props, desktops: await describe(id.split(",")) } };
    },
    async delete(id: string) {
      await call("DeleteDesktops", { DesktopId: id.split(",") });
      await waitUntil(id.split(","), (list) => list.length === 0);
    },
  };
}
