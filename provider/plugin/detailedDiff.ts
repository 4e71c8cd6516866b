/**
 * The core's plan as a DiffResponse with a detailed diff: each input the plan replaces or changes in place, by
 * its path (`desktopAttachment.imageId`), so the engine names the property that forces a replacement; drift in
 * the live desktops (no input changed) shows as a change of the `desktops` output.
 */
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { DiffPlan } from "../desktopBatch/diff";

const Kind = provproto.PropertyDiff.Kind;

function valueAt(record: object, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (value, key) =>
        value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined,
      record,
    );
}

function kindOf(before: unknown, after: unknown, replace: boolean): provproto.PropertyDiff.Kind {
  if (before === undefined) return replace ? Kind.ADD_REPLACE : Kind.ADD;
  if (after === undefined) return replace ? Kind.DELETE_REPLACE : Kind.DELETE;
  return replace ? Kind.UPDATE_REPLACE : Kind.UPDATE;
}

export function diffResponse(plan: DiffPlan, olds: object, news: object): provproto.DiffResponse {
  const response = new provproto.DiffResponse();
  const Changes = provproto.DiffResponse.DiffChanges;
  response.setChanges(plan.changes === false ? Changes.DIFF_NONE : Changes.DIFF_SOME);
  const replaces = plan.replaces ?? [];
  response.setReplacesList([...replaces]);
  response.setDeletebeforereplace(plan.deleteBeforeReplace === true);
  const detailed = response.getDetaileddiffMap();
  const entries: [string, boolean][] = [
    ...replaces.map((path): [string, boolean] => [path, true]),
    ...plan.updates.map((path): [string, boolean] => [path, false]),
  ];
  for (const [path, replace] of entries) {
    const kind = kindOf(valueAt(olds, path), valueAt(news, path), replace);
    detailed.set(path, new provproto.PropertyDiff().setKind(kind).setInputdiff(true));
  }
  if (!replaces.length && plan.drift.length) {
    detailed.set("desktops", new provproto.PropertyDiff().setKind(Kind.UPDATE).setInputdiff(false));
  }
  response.setDiffsList([...new Set(entries.map(([path]) => path.split(".")[0]))]);
  response.setHasdetaileddiff(true);
  return response;
}
