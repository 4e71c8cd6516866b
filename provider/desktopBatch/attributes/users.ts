/**
 * endUserIds / userAssignMode (and each bundle model's own endUserIds). ALL: every desktop has the same users,
 * fixed with one ModifyUserEntitlement grant and one revoke per distinct change. PER_USER: each desktop has one
 * owner, keeping each user's existing desktops (ModifyEntitlement per desktop). Users are a set: order never
 * makes a difference.
 */
import { isBusy } from "../statuses";
import { isPerUser, modelAt, modelOf, perUserAssignment, sameSet } from "../desired";
import { Attribute, BatchView, eachLimited, groupBy, PER_DESKTOP_CONCURRENCY } from "./attribute";

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
    const perUser = isPerUser(ctx.inputs);
    // ModifyEntitlement sets one desktop's users in one call: fewer calls for a few desktops.
    const absolute =
      fixes.every((f) => f.to.wanted.length) && (perUser || fixes.length < groupedChanges(fixes).calls);
    let current = fixes;
    if (!absolute) {
      // Grants and revokes change the users a desktop has: those are read, not taken from a stored view that
      // may miss users changed outside Pulumi (they would stay, and the wait for exactly the wanted users
      // would never end).
      const now = await ctx.waitFor(ids, (d) => !isBusy(d), "reading the users to change", "fresh");
      const users = new Map(now.map((d) => [d.desktopId, d.endUserIds ?? []]));
      current = fixes.map((f) => ({
        ...f,
        to: { ...f.to, live: [...(users.get(f.desktopId) ?? f.to.live)] },
      }));
    }
    if (perUser || absolute) {
      await eachLimited(current, PER_DESKTOP_CONCURRENCY, async ({ desktopId, to }) => {
        if (to.wanted.length) await ctx.client.modifyEntitlement(desktopId, to.wanted, ctx.opts);
        else if (to.live.length)
          await ctx.client.modifyUserEntitlement(
            { endUserIds: to.live, revokeDesktopIds: [desktopId] },
            ctx.opts,
          );
      });
    } else {
      const { revokes, grants } = groupedChanges(current);
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
    }
    const wanted = new Map(fixes.map((fix) => [fix.desktopId, fix.to.wanted]));
    await ctx.waitFor(
      ids,
      (d) =>
        !(d.managementFlags ?? []).includes("ASSIGNING") && sameSet(d.endUserIds, wanted.get(d.desktopId)),
      "assigning end users",
      "entitlement",
    );
  },
};

/** ModifyUserEntitlement calls that bring the desktops to their users: one revoke and one grant per distinct change. */
function groupedChanges(fixes: readonly { desktopId: string; to: UserChange }[]) {
  const key = (f: { users: string[] }) => JSON.stringify(f.users);
  const grouped = (users: (change: UserChange) => string[]) =>
    groupBy(
      fixes.map((f) => ({ ...f, users: users(f.to).sort() })).filter((f) => f.users.length),
      key,
      (f) => f.desktopId,
    );
  const revokes = grouped((to) => to.live.filter((u) => !to.wanted.includes(u)));
  const grants = grouped((to) => to.wanted.filter((u) => !to.live.includes(u)));
  const calls = [...revokes.values(), ...grants.values()].reduce(
    (total, ids) => total + Math.ceil(ids.length / USER_ENTITLEMENT_BATCH),
    0,
  );
  return { revokes, grants, calls };
}
