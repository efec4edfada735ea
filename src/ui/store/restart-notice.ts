/**
 * Telling a restart from a dropped connection, from facts: the process
 * serving the daemon before and after the connection came back (our daemons
 * report it, libvirt's hold their pid file). A restart loses every change made
 * at runtime (limits, log settings, timeout): the operator must hear of it.
 */
import type { DaemonProcess } from '../../admin-client/index.js';

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** What to say when the connection to `name` is back; `before` is the process seen before it dropped. */
export function reconnectNotice(name: string, before: DaemonProcess | undefined, after: DaemonProcess | undefined, nowMs: number): string {
  if (before && after && before.pid !== after.pid) {
    const at = clockTime(after.startedAt !== undefined ? after.startedAt * 1000 : nowMs);
    return `${name} restarted at ${at} (pid ${before.pid} → ${after.pid}); runtime changes since then are gone`;
  }
  if (before && after) return `connection to ${name} re-established at ${clockTime(nowMs)}: same process (pid ${after.pid}), nothing was lost`;
  return `connection to ${name} re-established at ${clockTime(nowMs)}; whether it restarted cannot be told (its pid is not visible from here): runtime changes may be gone`;
}
