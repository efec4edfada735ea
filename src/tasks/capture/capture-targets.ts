/**
 * Which daemons a capture covers, as an operator names them: `all` (every daemon
 * running on the host), names (`libvirtd,virtqemud`; a name running in both modes
 * means both), `NAME/MODE`, or admin URIs. Two names for one admin socket
 * (libvirtd and virtproxyd listen on the same paths) are one daemon.
 */
import type { DiscoveredDaemon } from '../../admin-client/index.js';
import { resolveAdminUri } from '../../admin-client/index.js';
import { CaptureRefused, type CaptureTarget } from './debug-capture.js';

export function chooseTargets(spec: string, found: readonly DiscoveredDaemon[]): CaptureTarget[] {
  const running = found.filter((d) => d.running);
  const chosen: CaptureTarget[] = [];
  for (const word of spec.split(',').map((w) => w.trim()).filter(Boolean)) {
    if (word === 'all') {
      if (running.length === 0) throw new CaptureRefused('no daemon is running on this host');
      chosen.push(...running.map((d) => ({ name: d.name, mode: d.mode, adminUri: d.adminUri })));
    } else if (word.includes(':')) {
      const r = resolveAdminUri(word);
      chosen.push({ name: r.daemon ?? 'daemon', mode: r.mode ?? 'session', adminUri: word });
    } else {
      const [name, mode] = word.split('/');
      const matches = running.filter((d) => d.name === name && (mode === undefined || d.mode === mode));
      if (matches.length === 0) {
        const known = running.map((d) => `${d.name}/${d.mode}`).join(', ') || 'none';
        throw new CaptureRefused(`${word} is not running on this host (running: ${known})`);
      }
      chosen.push(...matches.map((d) => ({ name: d.name, mode: d.mode, adminUri: d.adminUri })));
    }
  }
  const seen = new Set<string>();
  return chosen.filter((t) => !seen.has(t.adminUri) && seen.add(t.adminUri));
}
