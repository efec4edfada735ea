/** A drift report as an operator reads it, on the command line and in the console's panel. */
import { formatCountdown } from '../capture/duration.js';
import type { DriftItem, DriftReport, Keep } from './drift.js';

export function keepText(k: Keep): string {
  switch (k.how) {
    case 'config':
      return k.replaces ? `in ${k.file}, replace line ${k.replaces.line} (${k.replaces.text.trim()}) with: ${k.line}` : `add to ${k.file}: ${k.line}`;
    case 'command line':
      return `start the daemon with ${k.option} (e.g. in its unit's *_ARGS or /etc/default file)`;
    case 'environment':
      return `the daemon's environment sets ${k.variable}, which wins over the config file: change it where the daemon is started`;
    case 'impossible':
      return `cannot be kept: ${k.why}`;
  }
}

export function itemText(i: DriftItem): string {
  const where = i.line !== undefined ? `config file line ${i.line}` : i.source === 'default' && i.configured.includes(' or ') ? "libvirt's default, chosen at start-up" : i.source;
  return `${i.scope} ${i.setting}: ${i.runtime || '(none)'} now, ${i.configured || '(none)'} after a restart (${where})`;
}

export function driftHeading(r: DriftReport): string {
  const f = r.facts;
  const config = r.configFile ? `${r.configFile}${r.configFound ? '' : ' (not there: every value is the default)'}` : 'unknown';
  return `${f.name} (${f.mode}), pid ${f.pid}: config ${config}`;
}

export function idleText(r: DriftReport, now: number): string | undefined {
  const idle = r.facts.idle;
  if (!idle || idle.timeoutSec === 0) return undefined;
  if (r.idleShutdownAt === null || r.idleShutdownAt === undefined) return `auto-shutdown after ${idle.timeoutSec} s idle; ${idle.holdingClients} client(s) keep it up`;
  return `idle: exits in ${formatCountdown(r.idleShutdownAt - now)} unless a client comes (--timeout ${idle.timeoutSec})`;
}

export function driftText(r: DriftReport, now = Date.now()): string {
  const lost = r.items.filter((i) => i.lostAtRestart);
  const lines = [driftHeading(r)];
  if (lost.length === 0) lines.push(`No drift: all ${r.items.length} settings are what a restart would give.`);
  else {
    lines.push(`Lost at restart (${lost.length} of ${r.items.length}):`);
    for (const i of lost) lines.push(`  ${itemText(i)}`, `    keep it: ${keepText(i.keep!)}`);
  }
  const idle = idleText(r, now);
  if (idle) lines.push(idle);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}
