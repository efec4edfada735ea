/**
 * The re-exec state file's format (src/daemons/reexec/restart-state.ts): every
 * file an older build wrote (test/fixtures/restart-state/) still decodes into
 * what this build takes over, and a file that must not be taken over is
 * refused with the reason the daemon logs.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { unpack } from 'msgpackr';
import { decodeRestartState, encodeRestartState, RESTART_STATE_VERSION, type RestartState } from '../../src/daemons/reexec/restart-state.js';
import { REPO_ROOT } from '../helpers/tools.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'restart-state');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.msgpack'));

test('there is a fixture for every format version up to this one', () => {
  for (let v = 1; v <= RESTART_STATE_VERSION; v++) {
    for (const daemon of ['virtlogd', 'virtlockd']) assert.ok(fixtures.includes(`${daemon}-v${v}.msgpack`), `${daemon}-v${v}.msgpack`);
  }
});

for (const file of fixtures) {
  test(`${file}, written by an earlier build, is taken over by this one`, () => {
    const bytes = readFileSync(join(FIXTURES, file));
    const raw = unpack(bytes) as { pid: number; daemon: string };
    const decoded = decodeRestartState(bytes, { pid: raw.pid, daemon: raw.daemon });
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason);
    const s = decoded.state;
    assert.equal(s.version, RESTART_STATE_VERSION);
    assert.deepEqual(s.servers.map((sv) => sv.name), [raw.daemon, 'admin']);
    assert.ok(s.servers.every((sv) => sv.services.length === 1 && sv.services[0]!.ownsPath));
    if (raw.daemon === 'virtlogd') {
      assert.deepEqual(s.duties.logs!.map((l) => l.domain.name), ['c3', 'c3']);
      assert.ok(s.duties.logs!.every((l) => l.domain.uuid.length === 16 && l.size > 0));
    } else {
      const [qemu] = s.servers[0]!.clients;
      const owner = (qemu!.programs[0]!.state as { owner: { pid: number } }).owner;
      assert.deepEqual(s.duties.lockspaces!.map((ls) => ls.resources.map((r) => [r.shared, r.owners])), [[[false, [owner.pid]]]]);
    }
  });
}

const valid = (): RestartState => {
  const bytes = readFileSync(join(FIXTURES, 'virtlockd-v1.msgpack'));
  return unpack(bytes) as RestartState;
};

const REFUSALS: [string, (s: RestartState) => unknown, RegExp][] = [
  ['another pid', (s) => ({ ...s, pid: s.pid + 1 }), /it was written by pid \d+, and this is pid \d+/],
  ['another daemon', (s) => ({ ...s, daemon: 'virtlogd' }), /it belongs to virtlogd, not virtlockd/],
  ['a newer format', (s) => ({ ...s, version: RESTART_STATE_VERSION + 1 }), /written by a newer build \(format version 2; this build reads up to 1\)/],
  ['not our format', (s) => ({ ...s, format: 'libvirt' }), /it is not a virtd-restart-state file/],
  ['a descriptor that is stdio', (s) => ({ ...s, servers: [{ ...s.servers[0]!, services: [{ ...s.servers[0]!.services[0]!, fd: 1 }] }] }), /service 0: 'fd' is missing or malformed/],
  ['a descriptor named twice', (s) => ({ ...s, servers: [{ ...s.servers[0]!, clients: [{ ...s.servers[0]!.clients[0]!, fd: s.servers[0]!.services[0]!.fd }] }] }), /descriptor \d+ is named twice/],
  ['a client of a service not saved', (s) => ({ ...s, servers: [{ ...s.servers[0]!, clients: [{ ...s.servers[0]!.clients[0]!, service: 3 }] }] }), /service 3 does not exist/],
  ['a lease without its descriptor', (s) => ({ ...s, duties: { lockspaces: [{ directory: '', resources: [{ name: 'x', path: 'x', shared: false, autoCreated: false, owners: [] }] }] } }), /resource 0: 'fd' is missing or malformed/],
];

for (const [what, change, why] of REFUSALS) {
  test(`refused: ${what}`, () => {
    const s = valid();
    const decoded = decodeRestartState(encodeRestartState(change(s) as RestartState), { pid: s.pid, daemon: 'virtlockd' });
    assert.equal(decoded.ok, false);
    assert.match((decoded as { reason: string }).reason, why);
  });
}

test('refused: bytes that end in the middle of a msgpack value', () => {
  const decoded = decodeRestartState(Buffer.from([0x92, 0x01]), { pid: 1, daemon: 'virtlockd' });
  assert.equal(decoded.ok, false);
  assert.match((decoded as { reason: string }).reason, /it is not msgpack/);
});
