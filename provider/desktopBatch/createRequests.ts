/**
 * Turns batch inputs into CreateDesktops calls of at most 300 desktops, keeping PER_USER assignment and the
 * hostname sequence continuous across calls, and tagging every desktop with the batch token.
 */
import type { CreateDesktopsRequest } from "../ecd/operations";
import { hostnameFrom } from "./hostname";
import type { DesktopBatchInputs } from "./inputs";
import { batchTag } from "./identity";
import { toTagPairs } from "./tags";

export const MAX_PER_CALL = 300;

/** Inputs that are not CreateDesktops parameters. */
const PROVIDER_ONLY = new Set(["amount", "tags", "endUserIds", "adoptDesktopIds", "releaseSubscriptionOnDelete", "timeouts", "batchToken", "regionId", "hostname"]);

/**
 * Requests for the desktops at positions [start, start+count) of the batch. Positions matter: PER_USER gives
 * consecutive blocks per user and hostnames continue the template's sequence.
 */
export function createRequests(inputs: DesktopBatchInputs, start: number, count: number): Omit<CreateDesktopsRequest, "regionId">[] {
  const users = inputs.endUserIds ?? [];
  const perUser = inputs.userAssignMode === "PER_USER" && users.length ? Math.max(1, (inputs.amount ?? 1) / users.length) : 0;
  // A PER_USER call must cover whole users' blocks, so calls are cut at block boundaries.
  const step = perUser ? Math.max(perUser, Math.floor(MAX_PER_CALL / perUser) * perUser) : MAX_PER_CALL;
  const base: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (!PROVIDER_ONLY.has(key) && value !== undefined) base[key] = value;
  }
  const tag = batchTag(inputs);
  const tags = [...toTagPairs(inputs.tags), ...(tag ? [tag] : [])];
  const requests: Omit<CreateDesktopsRequest, "regionId">[] = [];
  if (inputs.bundleModels?.length) {
    // The models are sent as given for the whole batch; healing or scaling later uses the first model's template.
    const whole = start === 0 && count === (inputs.amount ?? 1);
    const { bundleModels, ...rest } = base;
    requests.push({
      ...(whole ? { ...rest, bundleModels } : { ...rest, bundleId: inputs.bundleModels[0].bundleId, amount: count }),
      tags: tags.length ? tags : undefined,
    } as Omit<CreateDesktopsRequest, "regionId">);
    return requests;
  }
  let position = start;
  const end = start + count;
  while (position < end) {
    let size: number;
    let endUserIds: string[] | undefined;
    if (perUser) {
      const blockEnd = Math.min(end, (Math.floor(position / perUser) + 1) * perUser);
      // Within one user's block a partial fill is possible (healing); then the call carries just that user.
      if (position % perUser !== 0 || blockEnd - position < perUser) {
        size = Math.min(blockEnd - position, MAX_PER_CALL);
        endUserIds = [users[Math.floor(position / perUser)]];
      } else {
        const wholeBlocks = Math.floor(Math.min(step, end - position) / perUser);
        size = Math.max(1, wholeBlocks) * perUser;
        const first = position / perUser;
        endUserIds = users.slice(first, first + size / perUser);
      }
    } else {
      size = Math.min(MAX_PER_CALL, end - position);
      endUserIds = users.length ? [...users] : undefined;
    }
    if (perUser && size > MAX_PER_CALL) size = MAX_PER_CALL;
    requests.push({
      ...base,
      amount: size,
      endUserIds,
      userAssignMode: endUserIds && endUserIds.length ? (perUser ? (endUserIds.length > 1 ? "PER_USER" : "ALL") : inputs.userAssignMode) : undefined,
      hostname: inputs.hostname ? hostnameFrom(inputs.hostname, position) : undefined,
      tags: tags.length ? tags : undefined,
    } as Omit<CreateDesktopsRequest, "regionId">);
    position += size;
  }
  return requests;
}
