/** Desktop statuses as the provider reads them (official lists: see emulator/README.md). */

/** Statuses from which a desktop moves on by itself. `Deleting` is what the 0.1 emulator showed. */
export const TRANSITIONAL = new Set(["Pending", "Starting", "Stopping", "Rebuilding", "Deleting"]);
/** A desktop in this status is gone; a desktop in any other status still exists, whatever it is doing. */
export const GONE = new Set(["Deleted"]);
/** DeleteDesktops accepts desktops in these statuses. */
export const RELEASABLE = new Set(["Running", "Stopped", "Expired", "Hibernated", "Failed"]);

/**
 * A desktop that is changing by itself: in a transitional status, or locked while its billing method changes
 * (ManagementFlag `Updating`: start, stop, spec changes and release are refused until it ends).
 */
export const isBusy = (desktop: { desktopStatus: string; managementFlag?: string }): boolean =>
  TRANSITIONAL.has(desktop.desktopStatus) || desktop.managementFlag === "Updating";
