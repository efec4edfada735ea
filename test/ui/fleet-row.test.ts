/**
 * A fleet row's figures (issue 14) from a host's targets: only daemons that
 * answer count; the worst saturation is the fullest gauge of any of them, a
 * limit of 0 (none) never the worst; "updated" is the newest sample, kept
 * while the host is down.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiscoveredDaemon } from '../../src/admin-client/index.js';
import type { SaturationSample, TargetState } from '../../src/ui/store/console-state.js';
import type { Console } from '../../src/ui/store/console-store.js';
import { reachOf, summarizeHost } from '../../src/ui/store/fleet-row.js';

const sample = (at: number, s: Partial<SaturationSample>): SaturationSample => ({ at, clients: 0, clientsMax: 5000, unauth: 0, unauthMax: 20, workersBusy: 0, workersMax: 20, queue: 0, ...s });

function daemon(name: string): DiscoveredDaemon {
  const admin = `/run/x/${name}-admin-sock`;
  return { name, mode: 'session', running: true, adminUri: `${name}:///session?socket=${admin}`, sockets: [{ role: 'admin', address: admin, state: 'active' }] };
}

function target(name: string, connection: TargetState['connection'], history: SaturationSample[]): TargetState {
  return { key: `/run/x/${name}-admin-sock`, daemonName: name, mode: 'session', connection, history } as TargetState;
}

/** Only what summarizeHost reads of a console's state. */
function host(targets: TargetState[]): Console {
  return { daemons: targets.map((t) => daemon(t.daemonName!)), targets: Object.fromEntries(targets.map((t) => [t.key, t])), showAbsent: false } as unknown as Console;
}

test('the fullest gauge of the daemons that answer, their clients, the newest sample', () => {
  const s = host([
    target('libvirtd', 'connected', [sample(1000, { clients: 12, workersBusy: 2 })]),
    target('virtqemud', 'connected', [sample(900, { clients: 3, workersBusy: 17 }), sample(2000, { clients: 4, workersBusy: 16, unauth: 15, unauthMax: 0 })]),
    // Down: its last figures are old news, not counted.
    target('virtnetworkd', 'reconnecting', [sample(3000, { clients: 4999 })]),
  ]);
  assert.deepEqual(summarizeHost(s), {
    daemonsUp: 2,
    daemonsKnown: 3,
    clients: 16,
    worst: { daemon: 'virtqemud', what: 'workers', used: 16, max: 20, level: 'warn' },
    updatedAt: 3000,
  });
});

test('a full gauge is an error; nothing answering has no worst', () => {
  const full = host([target('libvirtd', 'connected', [sample(5, { unauth: 20 })])]);
  assert.deepEqual(summarizeHost(full).worst, { daemon: 'libvirtd', what: 'unauth clients', used: 20, max: 20, level: 'error' });
  assert.equal(summarizeHost(host([target('libvirtd', 'lost', [])])).worst, undefined);
  assert.deepEqual([reachOf(undefined), reachOf('connected'), reachOf('connecting'), reachOf('lost'), reachOf('reconnecting'), reachOf('closed')], ['up', 'up', 'connecting', 'down', 'down', 'down']);
});
