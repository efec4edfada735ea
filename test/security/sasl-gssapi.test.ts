/**
 * GSSAPI (Kerberos) on plain TCP, the seed's way to use TCP 16509 (issue 11):
 * a real MIT KDC started for this file (its own realm, the service principal
 * libvirt/<hostname> in a keytab, a user principal, kinit), our libvirtd and
 * Debian's libvirtd 9.0 with the same configuration, the real virsh:
 * - with a ticket virsh works, and client-info shows transport tcp and the
 *   SASL user name, in both;
 * - a relay between them sees no plaintext after the final auth reply: every
 *   byte each way is a Cyrus security-layer block, and neither the program
 *   number of a frame nor the hostname in CONNECT_GET_HOSTNAME's reply shows;
 * - without a ticket, and with tcp_min_ssf above the layer GSSAPI gives (256),
 *   both refuse virsh alike.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeHeader, decodeValue, encodeValue, MessageType, nonnullString, Program, Remote, RemoteProc } from '../../src/rpc/index.js';
import { type Side, startPair, stopPair } from '../helpers/daemon-pair.js';
import { holdVirsh } from '../helpers/held-virsh.js';
import { type Kdc, startKdc } from '../helpers/kdc.js';
import { readableByTestUser, saslConfDir } from '../helpers/sasl.js';
import { startRelay } from '../helpers/tcp-relay.js';
import { until } from '../helpers/until.js';

const AUTH_FAILED = 'error: failed to connect to the hypervisor\nerror: authentication failed: authentication failed\n';

let dir: string;
let kdc: Kdc;
let ticket: string;
let env: Record<string, string>;
let pair: Side[];

const tcpConfig = (extra: string) => (ports: number[]) =>
  ['listen_tls = 0', 'listen_tcp = 1', `tcp_port = "${ports[0]}"`, `listen_addr = "${kdc.hostAddress}"`, 'auth_tcp = "sasl"', extra].join('\n') + '\n';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'virtd-sasl-gssapi-'));
  readableByTestUser(dir);
  kdc = await startKdc(join(dir, 'kdc'));
  kdc.addUser('alice', 'alice-kerberos-password');
  ticket = await kdc.kinit('alice', 'alice-kerberos-password');
  env = { ...saslConfDir(join(dir, 'sasl'), { mech_list: 'gssapi', keytab: kdc.keytab }), ...kdc.env };
  pair = await startPair({ listen: true, ports: 1, env, tcpHost: kdc.hostAddress, config: tcpConfig('') });
});
after(async () => {
  await stopPair(pair);
  await kdc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const uri = (port: number) => `qemu+tcp://${kdc.host}:${port}/session`;
const virsh = (s: Side, port: number, cache: string, ...args: string[]) => s.d.run('virsh', ['-c', uri(port), ...args], 30000, { KRB5CCNAME: cache });

describe('GSSAPI on plain TCP, beside libvirtd 9.0', () => {
  test('with a ticket virsh works; client-info shows tcp and the SASL user name, the same in both', async () => {
    const infos: string[] = [];
    for (const s of pair) {
      const r = await virsh(s, s.ports[0]!, ticket, 'hostname');
      assert.equal(r.code, 0, `${s.name}: ${r.stderr}\n${s.d.logs()}`);
      const held = holdVirsh(uri(s.ports[0]!), s.d.user, { ...s.d.env, KRB5CCNAME: ticket });
      try {
        let info = '';
        await until(
          async () => {
            const id = /^\s*(\d+)\s+tcp\s/m.exec((await s.d.virtAdmin(['client-list', 'libvirtd'])).stdout)?.[1];
            info = id ? (await s.d.virtAdmin(['client-info', 'libvirtd', id])).stdout : '';
            return /^sasl_user_name/m.test(info);
          },
          { timeoutMs: 20000, message: `${s.name}: virsh's tcp client` },
        );
        assert.match(info, /^transport\s+: tcp$/m);
        assert.match(info, /^sasl_user_name\s+: alice$/m, info);
        infos.push(info.replace(/^(id|connection_time|sock_addr)(\s*): .*$/gm, '$1$2: -'));
      } finally {
        held.stop();
      }
    }
    assert.equal(infos[0], infos[1]);
  });

  test('a relay sees no plaintext after the final auth reply: only security-layer blocks, each way', async () => {
    for (const s of pair) {
      const relay = await startRelay(kdc.hostAddress, s.ports[0]!);
      try {
        const r = await virsh(s, relay.port, ticket, 'hostname');
        assert.equal(r.code, 0, `${s.name}: ${r.stderr}`);
        assert.equal(r.stdout.trim(), kdc.host);
        await until(() => relay.connections[0]?.closed === true, { message: 'the relayed connection to end' });
        const c = relay.connections[0]!;
        const { clientRest, serverRest } = afterAuthentication(Buffer.concat(c.up), Buffer.concat(c.down));
        for (const [way, rest] of [['client to daemon', clientRest], ['daemon to client', serverRest]] as const) {
          const blocks = saslBlocks(rest);
          assert.ok(blocks > 2, `${s.name}, ${way}: ${blocks} blocks after authentication`);
          const remote = Buffer.alloc(4);
          remote.writeUInt32BE(Program.Remote);
          assert.equal(rest.indexOf(remote), -1, `${s.name}, ${way}: a frame header in the clear`);
          assert.equal(rest.indexOf(encodeValue(nonnullString, kdc.host)), -1, `${s.name}, ${way}: the hostname in the clear`);
          assert.equal(rest.indexOf('qemu:///session'), -1, `${s.name}, ${way}: the URI in the clear`);
        }
      } finally {
        await relay.close();
      }
    }
  });

  test('without a ticket: both refuse virsh alike', async () => {
    const stderr: string[] = [];
    for (const s of pair) {
      const r = await virsh(s, s.ports[0]!, `FILE:${join(dir, 'no-such-cache')}`, 'hostname');
      assert.equal(r.code, 1, `${s.name} let a client in without a ticket`);
      stderr.push(r.stderr);
    }
    assert.equal(stderr[0], stderr[1]);
  });

  test('tcp_min_ssf above the layer GSSAPI gives (257 > 256): no mechanism is offered, both refuse alike', async () => {
    const strict = await startPair({ listen: true, ports: 1, env, tcpHost: kdc.hostAddress, config: tcpConfig('tcp_min_ssf = 257') });
    try {
      for (const s of strict) {
        const r = await virsh(s, s.ports[0]!, ticket, 'hostname');
        assert.equal(r.code, 1, `${s.name} let a client in under tcp_min_ssf`);
        assert.equal(r.stderr, AUTH_FAILED, s.name);
      }
      assert.match(strict[0]!.d.logs(), /auth_tcp in \S+ = "sasl": no SASL mechanism of .* is available with a security layer of SSF >= 257 \(tcp_min_ssf\)/);
    } finally {
      await stopPair(strict);
    }
  });
});

/**
 * Where the clear part of each direction ends: after the AUTH_SASL_START/STEP call the daemon
 * answered with complete = 1, and after that answer. Frames before are parsed in the clear.
 */
function afterAuthentication(up: Buffer, down: Buffer): { clientRest: Buffer; serverRest: Buffer } {
  const frames = function* (b: Buffer) {
    for (let at = 0; at + 4 <= b.length; ) {
      const len = b.readUInt32BE(at);
      yield { at, end: at + len, frame: b.subarray(at, at + len) };
      at += len;
    }
  };
  let finalSerial: number | undefined;
  let serverEnd = -1;
  for (const { end, frame } of frames(down)) {
    const h = decodeHeader(frame);
    assert.equal(h.type, MessageType.Reply, 'only replies before authentication ends');
    if (h.proc === RemoteProc.AuthSaslStart || h.proc === RemoteProc.AuthSaslStep) {
      const { complete } = decodeValue(Remote.authSaslStep.ret, frame.subarray(28));
      if (complete === 1) {
        finalSerial = h.serial;
        serverEnd = end;
        break;
      }
    }
  }
  assert.ok(finalSerial !== undefined, 'the daemon completed authentication');
  let clientEnd = -1;
  for (const { end, frame } of frames(up)) {
    if (decodeHeader(frame).serial === finalSerial) {
      clientEnd = end;
      break;
    }
  }
  return { clientRest: up.subarray(clientEnd), serverRest: down.subarray(serverEnd) };
}

/** The count of blocks "4-byte length, then that many bytes" that exactly cover `b` (Cyrus's GSSAPI layer). */
function saslBlocks(b: Buffer): number {
  let n = 0;
  let at = 0;
  while (at < b.length) {
    assert.ok(at + 4 <= b.length, 'a truncated block');
    at += 4 + b.readUInt32BE(at);
    n++;
  }
  assert.equal(at, b.length, 'blocks cover the stream exactly');
  return n;
}
