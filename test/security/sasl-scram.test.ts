/**
 * SASL with SCRAM-SHA-256, users in a sasldb made by saslpasswd2 in a temp dir
 * (issue 11), beside Debian's libvirtd 9.0 with the same configuration; the
 * client is the real virsh, its credentials in a LIBVIRT_AUTH_FILE:
 * - TLS (auth_tls = "sasl"): the right password lets virsh in, and the real
 *   virt-admin's client-info shows sasl_user_name; a wrong password, and a
 *   user outside sasl_allowed_username_list, get libvirt's error from both;
 * - the UNIX socket (auth_unix_rw = "sasl"): the same;
 * - plain TCP (auth_tcp = "sasl"): SCRAM has no security layer, so no
 *   mechanism is offered there and both refuse virsh alike.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Side, startPair, stopPair } from '../helpers/daemon-pair.js';
import { holdVirsh } from '../helpers/held-virsh.js';
import { issue, makeCa } from '../helpers/pki.js';
import { authFile, makeSaslDb, readableByTestUser, saslConfDir } from '../helpers/sasl.js';
import { until } from '../helpers/until.js';

const ALICE = { name: 'alice', password: 'alice-secret' };
const BOB = { name: 'bob', password: 'bob-secret' };
const AUTH_FAILED = 'error: failed to connect to the hypervisor\nerror: authentication failed: authentication failed\n';

let dir: string;
let pair: Side[];
const auth: Record<'alice' | 'wrong' | 'bob', string> = { alice: '', wrong: '', bob: '' };
let virshPki: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'virtd-sasl-scram-'));
  readableByTestUser(dir);
  const pki = join(dir, 'pki');
  mkdirSync(pki);
  makeCa(pki, 'ca');
  issue(pki, 'ca', 'server', '/O=Test/CN=localhost', 'server');
  issue(pki, 'ca', 'client', '/C=GB/O=Test/CN=client1', 'client');
  virshPki = join(dir, 'virsh-pki');
  mkdirSync(virshPki);
  copyFileSync(join(pki, 'ca.pem'), join(virshPki, 'cacert.pem'));
  copyFileSync(join(pki, 'clientcert.pem'), join(virshPki, 'clientcert.pem'));
  copyFileSync(join(pki, 'clientkey.pem'), join(virshPki, 'clientkey.pem'));
  for (const p of [pki, virshPki]) readableByTestUser(p);
  for (const f of ['serverkey.pem', 'servercert.pem', 'ca.pem']) readableByTestUser(join(pki, f));
  for (const f of ['cacert.pem', 'clientcert.pem', 'clientkey.pem']) readableByTestUser(join(virshPki, f));

  const db = join(dir, 'passwd.db');
  const env = saslConfDir(join(dir, 'sasl'), { mech_list: 'scram-sha-256', sasldb_path: db });
  makeSaslDb(db, [ALICE, BOB]);
  auth.alice = authFile(join(dir, 'alice.auth'), ALICE);
  auth.wrong = authFile(join(dir, 'wrong.auth'), { name: 'alice', password: 'not-her-password' });
  auth.bob = authFile(join(dir, 'bob.auth'), BOB);

  pair = await startPair({
    listen: true,
    ports: 2,
    env,
    config: ([tls, tcp]) =>
      [
        'listen_tls = 1',
        'listen_tcp = 1',
        `tls_port = "${tls}"`,
        `tcp_port = "${tcp}"`,
        'listen_addr = "127.0.0.1"',
        `key_file = "${join(pki, 'serverkey.pem')}"`,
        `cert_file = "${join(pki, 'servercert.pem')}"`,
        `ca_file = "${join(pki, 'ca.pem')}"`,
        'auth_tls = "sasl"',
        'auth_tcp = "sasl"',
        'auth_unix_rw = "sasl"',
        'sasl_allowed_username_list = ["alice*"]',
      ].join('\n') + '\n',
  });
});
after(async () => {
  await stopPair(pair);
  rmSync(dir, { recursive: true, force: true });
});

const uris = {
  tls: (s: Side) => `qemu+tls://localhost:${s.ports[0]}/session?pkipath=${virshPki}`,
  unix: (s: Side) => `qemu:///session?socket=${s.d.mainSocket}`,
  tcp: (s: Side) => `qemu+tcp://127.0.0.1:${s.ports[1]}/session`,
};

const virsh = (s: Side, uri: string, who: keyof typeof auth, ...args: string[]) => s.d.run('virsh', ['-c', uri, ...args], 30000, { LIBVIRT_AUTH_FILE: auth[who] });

/** client-info of the one client of this transport, once it shows a SASL user name. */
async function saslClientInfo(s: Side, transport: 'tls' | 'unix'): Promise<string> {
  let info = '';
  await until(
    async () => {
      const list = await s.d.virtAdmin(['client-list', 'libvirtd']);
      const ids = [...list.stdout.matchAll(new RegExp(`^\\s*(\\d+)\\s+${transport}\\s`, 'gm'))].map((m) => m[1]!);
      for (const id of ids) {
        info = (await s.d.virtAdmin(['client-info', 'libvirtd', id])).stdout;
        if (/^sasl_user_name/m.test(info)) return true;
      }
      return false;
    },
    { timeoutMs: 20000, message: `${s.name}: a ${transport} client with a SASL user name` },
  );
  return info;
}

for (const transport of ['tls', 'unix'] as const) {
  describe(`SCRAM-SHA-256 on the ${transport === 'tls' ? 'TLS socket (auth_tls)' : 'UNIX socket (auth_unix_rw)'}`, () => {
    test('the right password lets virsh in; client-info shows sasl_user_name, in both', async () => {
      const infos: string[] = [];
      for (const s of pair) {
        const r = await virsh(s, uris[transport](s), 'alice', 'hostname');
        assert.equal(r.code, 0, `${s.name}: ${r.stderr}\n${s.d.logs()}`);
        const held = holdVirsh(uris[transport](s), s.d.user, { ...s.d.env, LIBVIRT_AUTH_FILE: auth.alice });
        try {
          const info = await saslClientInfo(s, transport);
          assert.match(info, /^sasl_user_name\s+: alice$/m, `${s.name}: ${info}`);
          // The fields shown, and their values but the per-connection ones, are the same in both.
          infos.push(info.replace(/^(id|connection_time|sock_addr|unix_process_id)(\s*): .*$/gm, '$1$2: -'));
        } finally {
          held.stop();
        }
      }
      assert.equal(infos[0], infos[1]);
    });

    test('a wrong password, and a user outside sasl_allowed_username_list: libvirt\'s error from both', async () => {
      for (const s of pair) {
        for (const who of ['wrong', 'bob'] as const) {
          const r = await virsh(s, uris[transport](s), who, 'hostname');
          assert.equal(r.code, 1, `${s.name} let ${who} in`);
          assert.equal(r.stderr, AUTH_FAILED, `${s.name}, ${who}`);
        }
      }
      const ours = pair[0]!.d.logs();
      assert.match(ours, /Failed to step SASL negotiation: -13 \(SASL\(-13\): authentication failure: StoredKey mismatch\)/);
      assert.match(ours, /SASL client identity 'bob' not allowed by ACL/);
      assert.match(pair[1]!.d.logs(), /SASL client identity 'bob' not allowed/);
    });
  });
}

test('plain TCP (auth_tcp = "sasl") with only SCRAM, which has no security layer: both refuse virsh alike', async () => {
  const stderr: string[] = [];
  for (const s of pair) {
    const r = await virsh(s, uris.tcp(s), 'alice', 'hostname');
    assert.equal(r.code, 1, `${s.name} let a client in over TCP without a security layer`);
    stderr.push(r.stderr);
  }
  assert.equal(stderr[0], stderr[1]);
  assert.equal(stderr[0], AUTH_FAILED);
  assert.match(pair[0]!.d.logs(), /no SASL mechanisms are available|cannot list SASL mechanisms/);
});
