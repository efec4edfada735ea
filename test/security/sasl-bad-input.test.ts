/**
 * SASL under bad input, beside Debian's libvirtd 9.0 with the same
 * configuration (auth_unix_rw = "sasl", SCRAM-SHA-256, max_anonymous_clients
 * = 2), each step answered the same by both (issue 11):
 * - calls other than the AUTH_* ones before authentication;
 * - garbage tokens and out-of-order steps: "authentication failed", the
 *   connection stays and may start over;
 * - a token over 65,536 bytes, or a count the body does not hold: "Unable to
 *   decode message payload", the exchange under way untouched;
 * - a client that stops mid-authentication and goes: closed, its
 *   unauthenticated slot freed (virt-admin srv-clients-info); one that stops
 *   and stays is closed by ours under client_auth_timeout (libvirt has no
 *   such limit and keeps it);
 * - more unauthenticated clients than max_anonymous_clients: the extra one
 *   waits unserved until one of the others authenticates.
 * The clients are our own (remote-peer.js) since no real one misbehaves.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeCall, encodeValue, int, nonnullString, Program, PROGRAM_VERSION, REMOTE_AUTH_SASL_DATA_MAX, RemoteProc, voidCodec } from '../../src/rpc/index.js';
import { type Side, startPair, stopPair } from '../helpers/daemon-pair.js';
import { type Answer, type Peer, startPeer } from '../helpers/peer.js';
import { makeSaslDb, readableByTestUser, saslConfDir } from '../helpers/sasl.js';
import { startVirtd } from '../helpers/virtd.js';
import { until } from '../helpers/until.js';

const ALICE = { name: 'alice', password: 'alice-secret' };

let dir: string;
let pair: Side[];
let env: { SASL_CONF_PATH: string };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'virtd-sasl-bad-'));
  readableByTestUser(dir);
  const db = join(dir, 'passwd.db');
  env = saslConfDir(join(dir, 'sasl'), { mech_list: 'scram-sha-256', sasldb_path: db });
  makeSaslDb(db, [ALICE]);
  pair = await startPair({ env, config: () => 'auth_unix_rw = "sasl"\nmax_anonymous_clients = 2\n' });
});
after(async () => {
  await stopPair(pair);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the same steps against both daemons, each with a fresh peer process; returns what each saw. */
async function both<T>(steps: (peer: Peer, s: Side) => Promise<T>): Promise<[T, T]> {
  const seen: T[] = [];
  for (const s of pair) {
    const peer = startPeer(s.d);
    try {
      seen.push(await steps(peer, s));
    } finally {
      peer.stop();
    }
  }
  return seen as [T, T];
}

/** An outcome without what differs by nature between two daemons (tokens carry random nonces). */
const shape = (a: Answer) => (a.ok ? { ok: true, complete: a.value?.complete, nil: a.value?.nil } : a);

/** An AUTH_SASL_START call whose token claims `count` chars but carries `carried`. */
function startWithCount(count: number, carried: number): Buffer {
  const head = encodeCall(Program.Remote, PROGRAM_VERSION, RemoteProc.AuthSaslStart, 9, voidCodec, undefined);
  const body = Buffer.concat([encodeValue(nonnullString, 'SCRAM-SHA-256'), encodeValue(int, 0), encodeValue(int, count), Buffer.alloc(4 * carried, 0)]);
  const call = Buffer.concat([head, body]);
  call.writeUInt32BE(call.length, 0);
  return call;
}

async function clientsInfo(s: Side): Promise<{ nclients: number; unauth: number }> {
  const out = (await s.d.virtAdmin(['srv-clients-info', 'libvirtd'])).stdout;
  const field = (name: string) => Number(new RegExp(`^${name}\\s*: (\\d+)$`, 'm').exec(out)?.[1]);
  return { nclients: field('nclients'), unauth: field('nclients_unauth') };
}

test('before authentication only the AUTH_* calls run: "authentication required", in both', async () => {
  const [ours, theirs] = await both(async (p) => {
    await p.connect('a');
    return [await p.call('a', 'authList'), await p.call('a', 'connectGetHostname'), await p.call('a', 'connectOpen', { name: 'qemu:///session', flags: 0 })];
  });
  assert.deepEqual(ours, theirs);
  assert.deepEqual(ours[0], { ok: true, value: { types: [1] } });
  assert.equal(ours[1]!.error, 'authentication required');
});

test('garbage tokens and steps out of order: "authentication failed", the connection stays and may start over', async () => {
  const [ours, theirs] = await both(async (p) => {
    await p.connect('a');
    const seen = [
      await p.call('a', 'authSaslStart', { mech: 'SCRAM-SHA-256', nil: 0, data: Buffer.from('n,,n=alice,r=x') }), // before INIT
      await p.call('a', 'authSaslStep', { nil: 0, data: Buffer.from('x') }), // before INIT
      await p.call('a', 'authSaslInit'),
      await p.call('a', 'authSaslInit'), // twice
      await p.call('a', 'authSaslStart', { mech: 'NO-SUCH-MECH', nil: 0, data: Buffer.from('x') }),
      await p.call('a', 'authSaslStep', { nil: 0, data: Buffer.from('x') }), // the failed exchange is gone
      await p.call('a', 'authSaslInit'),
      await p.call('a', 'authSaslStart', { mech: 'SCRAM-SHA-256', nil: 0, data: Buffer.from([0xff, 0x00, 0x80, 0x7f]) }),
      await p.call('a', 'authSaslInit'),
      await p.call('a', 'authSaslStart', { mech: 'SCRAM-SHA-256', nil: 0, data: Buffer.from('n,,n=alice,r=abcdefghijklmnop') }),
      await p.call('a', 'authSaslStep', { nil: 0, data: Buffer.from('c=biws,r=garbage,p=garbage') }),
      await p.call('a', 'authSaslStep', { nil: 1, data: Buffer.alloc(0) }),
    ].map(shape);
    seen.push(shape(await p.scram('a', ALICE.name, ALICE.password)));
    seen.push(shape(await p.call('a', 'connectOpen', { name: 'qemu:///session', flags: 0 })));
    return seen;
  });
  assert.deepEqual(ours, theirs);
  const failed = { ok: false, error: 'authentication failed: authentication failed', code: 45 };
  assert.deepEqual(ours[0], failed);
  assert.deepEqual(ours[2], { ok: true, complete: undefined, nil: undefined });
  assert.deepEqual(ours[3], failed);
  assert.deepEqual(ours.at(-2), { ok: true, complete: 1, nil: 0 }, 'the same connection authenticates in the end');
  assert.deepEqual(ours.at(-1), { ok: true, complete: undefined, nil: undefined });
});

test('a token over 65,536 bytes, or a count the body does not hold: "Unable to decode message payload"; the exchange stays', async () => {
  const [ours, theirs] = await both(async (p) => {
    await p.connect('a');
    await p.call('a', 'authSaslInit');
    const seen = [
      await p.raw('a', startWithCount(REMOTE_AUTH_SASL_DATA_MAX + 1, REMOTE_AUTH_SASL_DATA_MAX + 1)),
      await p.raw('a', startWithCount(5, 2)),
      await p.call('a', 'authSaslInit'), // the exchange INIT opened is still there
    ];
    seen.push(shape(await p.call('a', 'authSaslStart', { mech: 'SCRAM-SHA-256', nil: 0, data: Buffer.from('n,,n=alice,r=abcdefghijklmnop') })));
    return seen;
  });
  assert.deepEqual(ours, theirs);
  assert.equal(ours[0]!.error, 'Unable to decode message payload');
  assert.equal(ours[1]!.error, 'Unable to decode message payload');
  assert.equal(ours[2]!.error, 'authentication failed: authentication failed');
  assert.deepEqual(ours[3], { ok: true, complete: 0, nil: 0 });
});

test('a client that stops mid-authentication and goes is closed, and its unauthenticated slot freed', async () => {
  await both(async (p, s) => {
    const before = await clientsInfo(s);
    await p.connect('a');
    await p.call('a', 'authSaslInit');
    await p.call('a', 'authSaslStart', { mech: 'SCRAM-SHA-256', nil: 0, data: Buffer.from('n,,n=alice,r=abcdefghijklmnop') });
    assert.deepEqual(await clientsInfo(s), { nclients: before.nclients + 1, unauth: before.unauth + 1 }, s.name);
    await p.close('a');
    await until(async () => (await clientsInfo(s)).nclients === before.nclients, { message: `${s.name}: the client gone` });
    assert.deepEqual(await clientsInfo(s), before, s.name);
  });
});

test('ours with client_auth_timeout = 1: a client silent mid-SASL is closed by the daemon, its slot freed', async (t) => {
  const d = await startVirtd('libvirtd', { config: 'auth_unix_rw = "sasl"\nclient_auth_timeout = 1\n', asTestUser: true, env });
  t.after(() => d.stop());
  const peer = startPeer(d);
  t.after(() => peer.stop());
  await peer.connect('a');
  await peer.call('a', 'authSaslInit');
  assert.deepEqual(shape(await peer.call('a', 'authSaslStart', { mech: 'SCRAM-SHA-256', nil: 0, data: Buffer.from('n,,n=alice,r=abcdefghijklmnop') })), { ok: true, complete: 0, nil: 0 });
  assert.equal(await peer.closed('a', 10000), true, 'closed by the daemon');
  await until(async () => (await clientsInfo({ name: 'ours', d, ports: [] })).nclients === 0, { message: 'the client gone' });
  assert.deepEqual(await clientsInfo({ name: 'ours', d, ports: [] }), { nclients: 0, unauth: 0 });
  assert.match(d.logs(), /disconnected a client of libvirtd that did not authenticate within 1 s \(client_auth_timeout\)/);
});

test('more unauthenticated clients than max_anonymous_clients: the extra one waits until one authenticates', async () => {
  const [ours, theirs] = await both(async (p, s) => {
    const before = await clientsInfo(s);
    for (const id of ['a', 'b', 'c']) await p.connect(id);
    assert.deepEqual(await p.call('a', 'authList'), { ok: true, value: { types: [1] } });
    assert.deepEqual(await p.call('b', 'authList'), { ok: true, value: { types: [1] } });
    await p.send('c', 'authList');
    // Two anonymous clients are the limit: the third is connected but not served.
    await until(async () => (await clientsInfo(s)).unauth === 2, { message: `${s.name}: two unauthenticated clients` });
    const full = await clientsInfo(s);
    const login = shape(await p.scram('a', ALICE.name, ALICE.password));
    const served = await p.next('c', 'authList');
    const after = await clientsInfo(s);
    for (const id of ['a', 'b', 'c']) await p.close(id);
    return { before, full, login, served, after };
  });
  for (const seen of [ours, theirs]) {
    assert.equal(seen.before.unauth, 0);
    assert.deepEqual(seen.full, { nclients: seen.before.nclients + 2, unauth: 2 });
    assert.deepEqual(seen.login, { ok: true, complete: 1, nil: 0 });
    assert.deepEqual(seen.served, { ok: true, value: { types: [1] } });
    assert.deepEqual(seen.after, { nclients: seen.before.nclients + 3, unauth: 2 });
  }
});
