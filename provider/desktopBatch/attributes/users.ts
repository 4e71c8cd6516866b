/**
 * endUserIds / userAssignMode (and each bundle model's own endUserIds). ALL: every desktop has the same users,
 * fixed with one ModifyUserEntitlement grant and one revoke per distinct change. PER_USER: each desktop has one
 * owner, keeping each user's existing desktops (ModifyEntitlement per desktop). Users are a set: order never
 * makes a difference.
 */
import { EcdApiError } from "../../ecd/errors";
import { isRetryableApiError } from "../../ecd/retry";
import { isBusy } from "../statuses";
import { isPerUser, modelAt, modelOf, perUserAssignment, sameSet } from "../desired";
import {
  Attribute,
  BatchView,
  eachLimited,
  groupBy,
  isStaleCode,
  PER_DESKTOP_CONCURRENCY,
} from "./attribute";

/** The users each desktop should have. */
export function wantedUsers(view: BatchView): Map<string, string[]> {
  const { inputs, desktops } = view;
  if (isPerUser(inputs)) {
    const { owners } = perUserAssignment(desktops, inputs);
    return new Map(
      desktops.map((d) => [d.desktopId, owners.get(d.desktopId) ? [owners.get(d.desktopId)!] : []]),
    );
  }
  const models = modelOf(desktops, inputs);
  return new Map(
    desktops.map((d) => {
      const model = modelAt(inputs, models.get(d.desktopId));
      return [d.desktopId, [...(model?.endUserIds ?? inputs.endUserIds ?? [])]];
    }),
  );
}

/** Desktops per ModifyUserEntitlement call (the client splits longer lists). */
const USER_ENTITLEMENT_BATCH = 100;

interface UserChange {
  wanted: string[];
  live: string[];
}

const list = (users: readonly string[]) => (users.length ? [...users].sort().join(",") : "no users");

export const users: Attribute<UserChange> = {
  inputs: "endUserIds",
  plan(view) {
    const wanted = wantedUsers(view);
    return view.desktops
      .filter((d) => !sameSet(d.endUserIds, wanted.get(d.desktopId)))
      .map((d) => ({
        desktopId: d.desktopId,
        from: list(d.endUserIds ?? []),
        to: { wanted: wanted.get(d.desktopId) ?? [], live: [...(d.endUserIds ?? [])] },
      }));
  },
  describe: (fix) => `${fix.desktopId} has ${fix.from} (will have ${list(fix.to.wanted)})`,
  async apply(fixes, ctx) {
    if (!fixes.length) return;
    const ids = fixes.map((fix) => fix.desktopId);
    const settled = await ctx.waitFor(ids, (d) => !isBusy(d), "waiting before assigning users");
    const notRunning = settled.filter((d) => d.desktopStatus !== "Running");
    if (notRunning.length) {
      throw new Error(
        `cannot assign end users: ECD needs Running desktops, but ${notRunning.map((d) => `${d.desktopId} is ${d.desktopStatus}`).join(", ")}. Start them and run pulumi up again.`,
      );
    }
    if (isPerUser(ctx.inputs)) {
      await eachLimited(fixes, PER_DESKTOP_CONCURRENCY, ({ desktopId, to }) =>
        to.wanted.length
          ? ctx.client.modifyEntitlement(desktopId, to.wanted, ctx.opts)
          : ctx.client.modifyUserEntitlement(
              { endUserIds: to.live, revokeDesktopIds: [desktopId] },
              ctx.opts,
            ),
      );
    } else {
      const key = (f: { users: string[] }) => JSON.stringify(f.users);
      const grouped = (users: (fix: (typeof fixes)[number]) => string[]) =>
        groupBy(
          fixes.map((f) => ({ ...f, users: users(f).sort() })).filter((f) => f.users.length),
          key,
          (f) => f.desktopId,
        );
      const revokes = grouped((f) => f.to.live.filter((u) => !f.to.wanted.includes(u)));
      const grants = grouped((f) => f.to.wanted.filter((u) => !f.to.live.includes(u)));
      const groupedCalls = [...revokes.values(), ...grants.values()].reduce(
        (calls, ids) => calls + Math.ceil(ids.length / USER_ENTITLEMENT_BATCH),
        0,
      );
      // ModifyEntitlement sets one desktop's users in one call: fewer calls for a few desktops.
      if (fixes.length < groupedCalls && fixes.every((f) => f.to.wanted.length)) {
        await eachLimited(fixes, PER_DESKTOP_CONCURRENCY, ({ desktopId, to }) =>
          ctx.client.modifyEntitlement(desktopId, to.wanted, ctx.opts),
        );
      } else {
        try {
          for (const [users, desktopIds] of revokes)
            await ctx.client.modifyUserEntitlement(
              { endUserIds: JSON.parse(users), revokeDesktopIds: desktopIds },
              ctx.opts,
            );
          for (const [users, desktopIds] of grants)
            await ctx.client.modifyUserEntitlement(
              { endUserIds: JSON.parse(users), authorizeDesktopIds: desktopIds },
              ctx.opts,
            );
        } catch (error) {
          if (!refusesOneList(error)) throw error;
          // The help pages mark EndUserId, AuthorizeDesktopId and RevokeDesktopId all required, the SDK none:
          // where the service wants both lists, ModifyEntitlement sets each desktop's users outright, which
          // neither loses nor doubles an assignment whatever the refused call's predecessors already did.
          ctx.log(
            `ModifyUserEntitlement refused a call with one desktop list (${describe(error)}); using ModifyEntitlement per desktop`,
          );
          await eachLimited(fixes, PER_DESKTOP_CONCURRENCY, ({ desktopId, to }) =>
            ctx.client.modifyEntitlement(desktopId, to.wanted, ctx.opts),
          );
        }
      }
    }
    // Done once what was granted and revoked shows. Not "exactly the wanted users": grants and revokes are
    // relative to the users as planned (maybe from the stored state), and a user added outside Pulumi meanwhile
    // stays — the outputs then record it, and the next update removes it — instead of a wait that never ends.
    const change = new Map(fixes.map((fix) => [fix.desktopId, fix.to]));
    await ctx.waitFor(
      ids,
      (d) => {
        const { wanted, live } = change.get(d.desktopId)!;
        const has = new Set(d.endUserIds ?? []);
        return (
          !(d.managementFlags ?? []).includes("ASSIGNING") &&
          wanted.every((user) => has.has(user)) &&
          live.every((user) => wanted.includes(user) || !has.has(user))
        );
      },
      "assigning end users",
      "entitlement",
    );
  },
};

/** A refusal of the call's form (a 4xx that is neither transient nor about the desktops' state). */
function refusesOneList(error: unknown): boolean {
  return (
    error instanceof EcdApiError &&
    !isRetryableApiError(error) &&
    (error.httpStatus ?? 400) < 500 &&
    !isStaleCode(error.code)
  );
}

const describe = (error: unknown): string => (error instanceof EcdApiError ? error.code : String(error));
