/**
 * The SDK's HTTP layer (httpx, under @alicloud/tea-typescript) starts a read timer on the socket of every call and
 * clears it only when the answer is read through httpx.read; @alicloud/tea-util reads answers with its own reader,
 * so every timer runs its full readTimeout (60 s), keeping that call's request and response alive, and when it
 * fires it clears the read timer of whatever later call then uses the same keep-alive socket (that call loses its
 * read timeout). Same code in tea-util 1.4.11 and httpx 3.0.1. Once an answer has been read to its end, the
 * leftover timer of its socket is cleared.
 */
import * as diagnostics from "diagnostics_channel";
import type * as http from "http";
import type { Socket } from "net";

/** httpx keys the timer by a private symbol; found by its description. */
const READ_TIMER_DESCRIPTION = "TIMER::READ_TIMER";

function clearLeftoverReadTimer(socket: Socket): void {
  const holder = socket as unknown as Record<symbol, NodeJS.Timeout | null | undefined>;
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === READ_TIMER_DESCRIPTION);
  const timer = key ? holder[key] : undefined;
  if (!key || !timer) return;
  clearTimeout(timer);
  holder[key] = null;
}

let installed = false;

/**
 * Clears the leftover read timer of every HTTP request this process makes once its answer has been read to the
 * end. httpx uses agents of its own that it does not export, so answers are seen through Node's
 * `http.client.response.finish` diagnostics channel.
 */
export function clearSdkReadTimers(): void {
  if (installed) return;
  installed = true;
  diagnostics.subscribe("http.client.response.finish", (message) => {
    const socket = (message as { request: http.ClientRequest }).request.socket;
    if (socket) clearLeftoverReadTimer(socket);
  });
}
