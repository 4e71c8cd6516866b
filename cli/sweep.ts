/**
 * `pulumi-ecd sweep`: lists the desktops that pulumi-ecd batches own (every one carries the pulumi-ecd:batch
 * tag) but that no given stack tracks, the leftovers of interrupted creates and lost states; `--release`
 * releases them after a confirmation. Region, credentials and endpoint are found as the provider finds them.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { EcdClient } from "../provider/ecd/client";
import { resolveCredentials } from "../provider/ecd/credentials";
import type { Desktop } from "../provider/ecd/operations";
import { REGION_ENV } from "../provider/desktopBatch/defaults";
import { unreleasable } from "../provider/desktopBatch/desired";
import { formerName, giveBack } from "../provider/desktopBatch/giveBack";
import {
  ADOPTED_TAG,
  CREATING_TAG,
  LINEAGE_TAG,
  OWNER_TAG as BATCH_TOKEN_TAG,
  ownerTag,
} from "../provider/desktopBatch/identity";
import { emptyTracked, readStackExport, Tracked } from "./stackExport";

export interface SweepIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** A mark that is not a time (written before holds had one) holds for an hour from the desktop's creation. */
const UNTIMED_HOLD_MS = 60 * 60_000;
const MAX_DATE_MS = 8.64e15;

export const SWEEP_USAGE = `Usage: pulumi-ecd sweep (--stack-export FILE ... | --all | --desktop ID ...) [--release | --disown] [--yes] [--region ID] [--endpoint URL]

Lists the desktops that pulumi-ecd batches own (tag ${BATCH_TOKEN_TAG}) but no given stack tracks.
  --stack-export FILE  the output of \`pulumi stack export\`; repeat it for every stack that uses pulumi-ecd
                       (a desktop tracked by none of them is listed)
  --all                list every pulumi-ecd desktop, none counted as tracked (lists only)
  --desktop ID         only this desktop (repeat it for more); without --stack-export, for --disown alone: the way
                       to free a desktop a batch Pulumi forgot still owns (retainOnDelete, stack rm) for adoption
  --release            release the listed desktops after you type their count (or with --yes)
  --disown             keep the listed desktops but remove their pulumi-ecd tags, so that a batch can adopt them
                       (adoptDesktopIds) once the batch that owned them is gone (retainOnDelete, stack rm); a
                       desktop an unfinished create had adopted also gets its former name back
  --region ID          the region (default: ALIBABA_CLOUD_REGION_ID, ALICLOUD_REGION, else the exports' regions)
  --endpoint URL       the ECD endpoint (default: ALIBABA_CLOUD_ECD_ENDPOINT, else the regional endpoint)
Credentials as for the provider: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (or the
@alicloud/credentials default chain). Nothing changes without --release or --disown. Subscription desktops are
listed but never released, nor is a desktop an unfinished create had adopted (${ADOPTED_TAG}); the desktops of a batch a running pulumi up holds (${CREATING_TAG} in the future) are
left alone until that hold lapses. An export that holds no DesktopBatch, while batches no export tracks look
alive, stops the sweep before anything is listed.
Exit status: 0 done, 1 refused, not confirmed or a release failed, 2 wrong usage or set-up.
`;

interface SweepArgs {
  exports: string[];
  desktops: string[];
  all: boolean;
  release: boolean;
  disown: boolean;
  yes: boolean;
  region?: string;
  endpoint?: string;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): SweepArgs {
  const args: SweepArgs = {
    exports: [],
    desktops: [],
    all: false,
    release: false,
    disown: false,
    yes: false,
  };
  const value = (flag: string, index: number): string => {
    const next = argv[index + 1];
    if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--stack-export":
        args.exports.push(value(arg, i++));
        break;
      case "--desktop":
        args.desktops.push(value(arg, i++));
        break;
      case "--all":
        args.all = true;
        break;
      case "--release":
        args.release = true;
        break;
      case "--disown":
        args.disown = true;
        break;
      case "--yes":
        args.yes = true;
        break;
      case "--region":
        args.region = value(arg, i++);
        break;
      case "--endpoint":
        args.endpoint = value(arg, i++);
        break;
      default:
        throw new UsageError(`unknown argument ${arg}`);
    }
  }
  const scopes = [args.exports.length > 0, args.all, args.desktops.length > 0 && !args.exports.length];
  if (scopes.filter(Boolean).length !== 1) {
    throw new UsageError(
      "give --stack-export FILE (once per stack), --all or --desktop ID: one of them (--desktop may narrow --stack-export)",
    );
  }
  if (args.yes && !args.release && !args.disown)
    throw new UsageError("--yes only goes with --release or --disown");
  if (args.release && args.disown) throw new UsageError("--release and --disown do not go together");
  // --all counts no stack's desktops as tracked: acting on its list would release every stack's batches.
  if (args.all && (args.release || args.disown)) {
    const flag = args.release ? "--release" : "--disown";
    throw new UsageError(
      `--all only lists: ${flag} needs the export of every stack (--stack-export FILE ...)`,
    );
  }
  // Without the exports nothing says which named desktops a live stack tracks: never release on a name alone.
  if (args.desktops.length && !args.exports.length && args.release) {
    throw new UsageError(
      "--desktop without --stack-export goes with --disown only: --release needs the export of every stack",
    );
  }
  return args;
}

interface Row {
  desktop: Desktop;
  region: string;
  batch: string;
  lineage: string;
  creating: boolean;
  /** Why it is not released, or undefined when it is. */
  kept?: string;
  /** Until when a `pulumi up` holds the desktop's batch (it may be creating it now), if it is held. */
  heldUntil?: number;
  /** Committed, with the lineage of a tracked batch: maybe that batch's own after a replacement. */
  tracedToExport: boolean;
}

/** A desktop's ID, with the name it goes back to when a create had adopted it. */
const named = (row: Row): string => {
  const name = formerName(row.desktop);
  return name === undefined ? row.desktop.desktopId : `${row.desktop.desktopId} ("${name}")`;
};

const tagOf = (desktop: Desktop, key: string): string | undefined =>
  desktop.tags?.find((tag) => tag.key === key)?.value;

/** Until when a desktop's creating mark holds it (0 for none). */
function markedUntil(desktop: Desktop): number {
  const mark = tagOf(desktop, CREATING_TAG);
  if (mark === undefined) return 0;
  const until = Number(mark);
  if (mark.trim() !== "" && Number.isFinite(until)) return until;
  return (Date.parse(desktop.creationTime ?? "") || 0) + UNTIMED_HOLD_MS;
}

/**
 * Until when a `pulumi up` holds each batch: the latest creating mark of any of its desktops. A running create
 * renews its hold on one desktop only, so the batch, not the desktop, is held.
 */
function holds(desktops: readonly Desktop[]): Map<string, number> {
  const until = new Map<string, number>();
  for (const desktop of desktops) {
    const batch = tagOf(desktop, BATCH_TOKEN_TAG) ?? "";
    until.set(batch, Math.max(until.get(batch) ?? 0, markedUntil(desktop)));
  }
  return until;
}

const tracedToExport = (desktop: Desktop, tracked: Tracked): boolean => {
  const lineage = tagOf(desktop, LINEAGE_TAG);
  return tagOf(desktop, CREATING_TAG) === undefined && lineage !== undefined && tracked.lineages.has(lineage);
};

/** Why a listed desktop must not be released now, or undefined. */
function keepReason(
  desktop: Desktop,
  heldUntil: number | undefined,
  now: number,
  tracked: Tracked,
): string | undefined {
  if (unreleasable([desktop], now).length) {
    return `subscription (PrePaid) desktop, expires ${desktop.expiredTime ?? "at an unknown time"}: ECD does not release subscription desktops before they expire`;
  }
  if (desktop.desktopStatus === "Deleted") return "already being deleted";
  if (heldUntil !== undefined) return heldReason(heldUntil);
  // Made in the console (or elsewhere) and adopted by a create that never finished: never Pulumi's to release.
  if (formerName(desktop) !== undefined) {
    return (
      `adopted (${ADOPTED_TAG}) by a create that did not finish: Pulumi did not make it, so it is never released ` +
      `here; --disown gives it back (its name "${formerName(desktop)}" and no pulumi-ecd tags)`
    );
  }
  // A replacement keeps the lineage and changes the instance: an export taken before it names only the old one.
  if (tracedToExport(desktop, tracked)) return TRACED_REASON;
  return undefined;
}

function heldReason(heldUntil: number): string {
  // A mark edited by hand can lie beyond what a Date can show (year 275760).
  const until = Math.abs(heldUntil) <= MAX_DATE_MS ? new Date(heldUntil).toISOString() : undefined;
  const when = until ? `${until} (${CREATING_TAG})` : `${heldUntil} (epoch ms, ${CREATING_TAG})`;
  return `a pulumi up holds its batch until ${when}: it may be creating it right now`;
}

const TRACED_REASON =
  `committed, with the lineage (${LINEAGE_TAG}) of a batch an export tracks: ` +
  "that export may be older than the batch's last replacement; export that stack again";

/** Why a listed desktop must not be disowned now (never one a `pulumi up` may be creating), or undefined. */
const disownRefusal = (row: Row): string | undefined =>
  row.heldUntil !== undefined ? heldReason(row.heldUntil) : row.tracedToExport ? TRACED_REASON : undefined;

/**
 * The pulumi-ecd desktops of one region that `tracked` does not account for. Every desktop of the region is
 * listed (100 a page) and those with the batch tag kept here: what a tag filter by key alone matches is not
 * documented.
 */
async function untrackedIn(
  client: EcdClient,
  region: string,
  tracked: Tracked,
  now: number,
  only: readonly string[],
): Promise<Row[]> {
  const listed = await client.describeAllDesktops(only.length ? { desktopIds: [...only] } : {});
  const desktops = listed.filter((desktop) => {
    const batch = tagOf(desktop, BATCH_TOKEN_TAG);
    return batch !== undefined && !tracked.desktopIds.has(desktop.desktopId) && !tracked.instances.has(batch);
  });
  // A running create renews its hold on one desktop of the batch only: the hold is read from the whole batch.
  const batchmates: Desktop[] = [];
  if (only.length)
    for (const batch of new Set(desktops.map((desktop) => tagOf(desktop, BATCH_TOKEN_TAG)!)))
      batchmates.push(...(await client.describeAllDesktops({ tags: [ownerTag(batch)] })));
  const held = holds([...desktops, ...batchmates]);
  return desktops.map((desktop) => {
    const batch = tagOf(desktop, BATCH_TOKEN_TAG) ?? "";
    const until = held.get(batch) ?? 0;
    const heldUntil = until > now ? until : undefined;
    return {
      desktop,
      region,
      batch,
      lineage: tagOf(desktop, LINEAGE_TAG) ?? "",
      creating: tagOf(desktop, CREATING_TAG) !== undefined,
      kept: keepReason(desktop, heldUntil, now, tracked),
      heldUntil,
      tracedToExport: tracedToExport(desktop, tracked),
    };
  });
}

/**
 * The listed batches that look alive: held by a running create, or committed (a desktop without the creating
 * mark that is not being deleted). An interrupted create whose hold lapsed is not alive.
 */
function alive(rows: readonly Row[]): Row[] {
  const live = new Set(
    rows
      .filter((r) => r.heldUntil !== undefined || (!r.creating && r.desktop.desktopStatus !== "Deleted"))
      .map((r) => `${r.region}/${r.batch}`),
  );
  return rows.filter((r) => live.has(`${r.region}/${r.batch}`));
}

function table(rows: Row[]): string {
  const header = ["DesktopId", "Name", "Status", "batch", "lineage", "creating?", "created"];
  const cells = rows.map((r) => [
    r.desktop.desktopId,
    r.desktop.desktopName ?? "",
    r.desktop.desktopStatus,
    r.batch,
    r.lineage,
    r.creating ? "yes" : "no",
    r.desktop.creationTime ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)].join("\n") + "\n";
}

function readLine(stdin: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: stdin, terminal: false });
    let answered = false;
    lines.once("line", (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once("close", () => {
      if (!answered) resolve(undefined);
    });
  });
}

/** Errors from Node's own modules can come from another realm (jest): read them by shape. */
const messageOf = (error: unknown): string =>
  typeof (error as Error | undefined)?.message === "string" ? (error as Error).message : String(error);

function readExport(file: string): string {
  try {
    const bytes = readFileSync(file);
    // Windows PowerShell's `>` writes UTF-16 with a byte-order mark; other editors add one to UTF-8.
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
    return bytes.toString(utf16 ? "utf16le" : "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(
      code === "ENOENT" ? `${file} does not exist` : `${file} cannot be read (${String(code)})`,
    );
  }
}

/** Runs `pulumi-ecd sweep`; returns the exit status. */
export async function sweepCommand(argv: string[], io: SweepIo): Promise<number> {
  const out = (text: string) => io.stdout.write(text);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  if (argv.includes("--help") || argv.includes("-h")) {
    out(SWEEP_USAGE);
    return 0;
  }
  let args: SweepArgs;
  const tracked = emptyTracked();
  try {
    args = parseArgs(argv);
    for (const file of args.exports) readStackExport(readExport(file), file, tracked);
  } catch (error) {
    err(`pulumi-ecd sweep: ${messageOf(error)}`);
    if (error instanceof UsageError) err(SWEEP_USAGE);
    return 2;
  }

  const fromEnv = REGION_ENV.map((name) => io.env[name]).find((v) => v);
  const regions = args.region ? [args.region] : fromEnv ? [fromEnv] : [...tracked.regions];
  if (!regions.length) {
    err("pulumi-ecd sweep: no region: pass --region, or set ALIBABA_CLOUD_REGION_ID");
    return 2;
  }

  const rows: Row[] = [];
  const clients = new Map<string, EcdClient>();
  try {
    const credentials = resolveCredentials(undefined, io.env).keys;
    for (const region of regions) {
      const client = new EcdClient({
        regionId: region,
        credentials,
        endpoint: args.endpoint,
        env: io.env,
        notice: err,
        progress: (line) => err(`pulumi-ecd sweep: ${line}`),
      });
      rows.push(...(await untrackedIn(client, region, tracked, Date.now(), args.desktops)));
      if (args.release || args.disown) clients.set(region, client);
    }
  } catch (error) {
    err(`pulumi-ecd sweep: ${messageOf(error)}`);
    return 2;
  }

  /** The untracked desktops as they are now, by ID: what was confirmed may have changed while the user read. */
  const relist = async (): Promise<Map<string, Row>> => {
    const now: Row[] = [];
    for (const region of regions)
      now.push(...(await untrackedIn(clients.get(region)!, region, tracked, Date.now(), args.desktops)));
    return new Map(now.map((r) => [r.desktop.desktopId, r]));
  };

  const living = args.all ? [] : alive(rows);
  if (tracked.withoutBatch.length && living.length) {
    const batches = new Set(living.map((r) => `${r.region}/${r.batch}`)).size;
    const file = tracked.withoutBatch[0];
    err(
      `pulumi-ecd sweep: refusing to run: ${file} holds no DesktopBatch, yet ${living.length} desktop(s) of ` +
        `${batches} batch(es) that no export tracks look alive (committed, or held by a running create). ` +
        `If ${file} is the export of a stack that owns them, this sweep cannot read it: do not sweep, and report ` +
        `it. Otherwise leave it out and give the export of every stack that uses pulumi-ecd.`,
    );
    return 1;
  }
  const scope = args.all
    ? "pulumi-ecd desktop(s)"
    : !args.exports.length
      ? `pulumi-ecd desktop(s) of the ${args.desktops.length} named`
      : `pulumi-ecd desktop(s) that none of the ${args.exports.length} stack export(s) (${tracked.batches} batch(es)) tracks`;
  out(`${rows.length} ${scope}, in ${regions.join(", ")}.\n`);
  const found = new Set(rows.map((r) => r.desktop.desktopId));
  for (const id of args.desktops.filter((d) => !found.has(d)))
    out(
      `not listed: ${id}: ${args.exports.length ? "tracked by a given export, or " : ""}not a pulumi-ecd desktop in ${regions.join(", ")} (no ${BATCH_TOKEN_TAG} tag, or no such desktop)\n`,
    );
  if (!rows.length) return 0;
  out(table(rows));
  if (args.disown) {
    const free = rows.filter((r) => disownRefusal(r) === undefined);
    for (const row of rows.filter((r) => !free.includes(r)))
      out(`not disowned: ${row.desktop.desktopId}: ${disownRefusal(row)}\n`);
    if (!free.length) {
      out("Nothing to disown.\n");
      return 0;
    }
    return confirmAndApply(free, regions, clients, args.yes, io, relist, {
      verb: "disowned",
      reason: disownRefusal,
      question: `Remove the pulumi-ecd tags from ${free.length} desktop(s)? Type ${free.length} to confirm: `,
      refusal: `refusing to disown ${free.length} desktop(s) without confirmation: type the count in a terminal, or pass --yes`,
      notConfirmed: "Not confirmed: nothing was changed.",
      apply: (client, rows) =>
        giveBack(
          client,
          rows.map((r) => r.desktop),
        ),
      notDone: async (client, ids) =>
        (await client.describeAllDesktops({ desktopIds: ids }))
          .filter((d) => tagOf(d, BATCH_TOKEN_TAG) !== undefined)
          .map((d) => d.desktopId),
      done: (region, rows) =>
        `Disowned ${rows.length} desktop(s) in ${region}: ${rows.map(named).join(", ")}; adoptDesktopIds can take them now.`,
    });
  }
  for (const row of rows.filter((r) => r.kept)) out(`not released: ${row.desktop.desktopId}: ${row.kept}\n`);
  const releasable = rows.filter((r) => !r.kept);
  if (!args.release) {
    out(`Run again with --release to release ${releasable.length} of them.\n`);
    return 0;
  }
  if (!releasable.length) {
    out("Nothing to release.\n");
    return 0;
  }
  return confirmAndApply(releasable, regions, clients, args.yes, io, relist, {
    verb: "released",
    reason: (now) => now.kept,
    question: `Release ${releasable.length} desktop(s)? This cannot be undone. Type ${releasable.length} to confirm: `,
    refusal: `refusing to release ${releasable.length} desktop(s) without confirmation: run it in a terminal and type the count, or pass --yes`,
    notConfirmed: "Not confirmed: nothing was released.",
    apply: (client, rows) => client.deleteDesktops(rows.map((r) => r.desktop.desktopId)),
    notDone: async (client, ids) =>
      (await client.describeAllDesktops({ desktopIds: ids }))
        .filter((d) => d.desktopStatus !== "Deleted")
        .map((d) => d.desktopId),
    done: (region, rows) => `Released ${rows.length} desktop(s) in ${region}: ${rows.map(named).join(", ")}`,
  });
}

interface SweepAction {
  /** "released" or "disowned", for the desktops left out. */
  verb: string;
  /** Why a confirmed desktop, as it is now, must be left out after all. */
  reason(now: Row): string | undefined;
  question: string;
  refusal: string;
  notConfirmed: string;
  /** Applies the action to the desktops as they were listed last (after the confirmation). */
  apply(client: EcdClient, rows: Row[]): Promise<unknown>;
  /**
   * After a failed apply, which of `ids` are not done: a call can be applied while its answer is lost, and its
   * retry then refused (a release meets desktops already Deleted).
   */
  notDone(client: EcdClient, ids: string[]): Promise<string[]>;
  done(region: string, rows: Row[]): string;
}

/** Asks for the count to be typed (unless --yes), then applies the action region by region. */
async function confirmAndApply(
  rows: Row[],
  regions: string[],
  clients: Map<string, EcdClient>,
  yes: boolean,
  io: SweepIo,
  relist: () => Promise<Map<string, Row>>,
  action: SweepAction,
): Promise<number> {
  const out = (text: string) => io.stdout.write(text);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  if (!yes) {
    if (!io.isTTY) {
      err(`pulumi-ecd sweep: ${action.refusal}`);
      return 1;
    }
    out(action.question);
    if ((await readLine(io.stdin))?.trim() !== String(rows.length)) {
      err(action.notConfirmed);
      return 1;
    }
  }
  let current: Map<string, Row>;
  try {
    current = await relist();
  } catch (error) {
    err(`pulumi-ecd sweep: ${messageOf(error)}`);
    return 1;
  }
  let failed = false;
  const confirmed: Row[] = [];
  for (const row of rows) {
    const now = current.get(row.desktop.desktopId);
    const changed =
      now === undefined
        ? "it is no longer an untracked pulumi-ecd desktop"
        : now.batch !== row.batch
          ? `its ${BATCH_TOKEN_TAG} tag is ${now.batch} now`
          : action.reason(now);
    if (changed !== undefined) {
      failed = true;
      err(`not ${action.verb}: ${row.desktop.desktopId}: since it was listed, ${changed}`);
    } else confirmed.push(now!);
  }
  for (const region of regions) {
    const inRegion = confirmed.filter((r) => r.region === region);
    if (!inRegion.length) continue;
    const client = clients.get(region)!;
    try {
      await action.apply(client, inRegion);
      out(`${action.done(region, inRegion)}\n`);
    } catch (error) {
      const ids = inRegion.map((r) => r.desktop.desktopId);
      const left = await action.notDone(client, ids).catch(() => ids);
      const done = inRegion.filter((r) => !left.includes(r.desktop.desktopId));
      if (done.length) out(`${action.done(region, done)}\n`);
      if (left.length) {
        failed = true;
        err(`pulumi-ecd sweep: ${messageOf(error)}`);
        err(`not ${action.verb}: ${left.length} desktop(s) in ${region}: ${left.join(", ")}`);
      }
    }
  }
  return failed ? 1 : 0;
}
