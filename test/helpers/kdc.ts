/**
 * A real MIT Kerberos KDC in a temp dir, for GSSAPI tests (the set-up that
 * works with Debian's libvirtd 9.0, docs/sasl.md): its own realm, a database
 * made with kdb5_util, principals with kadmin.local, the service principal
 * libvirt/<this host's name> in a keytab, and krb5kdc in the foreground on a
 * loopback port. Clients get tickets with kinit into a file cache.
 *
 * libvirtd asks for its own host name (Cyrus canonicalises gethostname()),
 * and virsh for the host in its URI: tests connect to os.hostname(), and the
 * keytab holds both that name and its canonical form when they differ.
 */
import { execFileSync, spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { readableByTestUser } from './sasl.js';
import { ensureTestUser, runTool } from './tools.js';
import { until } from './until.js';

export const REALM = 'VIRTD.TEST';

export interface Kdc {
  realm: string;
  /** The name clients put in their URI (and the service principal's host). */
  host: string;
  /** The address that name resolves to: where the daemon must listen for clients to reach it by name. */
  hostAddress: string;
  keytab: string;
  /** KRB5_CONFIG for the daemons and the tools. */
  env: { KRB5_CONFIG: string };
  addUser(name: string, password: string): void;
  /** Gets `user` a ticket as the test user, in a file cache; returns the KRB5CCNAME value. */
  kinit(name: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

function canonicalHostName(name: string): string {
  try {
    return execFileSync('hostname', ['--fqdn'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || name;
  } catch {
    return name;
  }
}

export async function startKdc(dir: string): Promise<Kdc> {
  mkdirSync(dir, { recursive: true });
  const host = hostname();
  const hosts = [...new Set([host, canonicalHostName(host)])];
  const hostAddress = (await lookup(host, { family: 4 })).address;
  const port = await freePort();
  const krb5Conf = join(dir, 'krb5.conf');
  writeFileSync(
    krb5Conf,
    [
      '[libdefaults]',
      `  default_realm = ${REALM}`,
      '  dns_lookup_kdc = false',
      '  dns_lookup_realm = false',
      '  rdns = false',
      '  udp_preference_limit = 1',
      '[realms]',
      `  ${REALM} = {`,
      `    kdc = 127.0.0.1:${port}`,
      '  }',
      '[domain_realm]',
      ...hosts.map((h) => `  ${h} = ${REALM}`),
    ].join('\n') + '\n',
  );
  const kdcConf = join(dir, 'kdc.conf');
  writeFileSync(
    kdcConf,
    [
      '[kdcdefaults]',
      `  kdc_listen = 127.0.0.1:${port}`,
      `  kdc_tcp_listen = 127.0.0.1:${port}`,
      '[realms]',
      `  ${REALM} = {`,
      `    database_name = ${join(dir, 'principal')}`,
      `    key_stash_file = ${join(dir, 'stash')}`,
      `    acl_file = ${join(dir, 'kadm5.acl')}`,
      '  }',
      '[logging]',
      `  kdc = FILE:${join(dir, 'kdc.log')}`,
    ].join('\n') + '\n',
  );
  const env = { ...process.env, KRB5_CONFIG: krb5Conf, KRB5_KDC_PROFILE: kdcConf };
  const admin = (query: string) => execFileSync('kadmin.local', ['-r', REALM, '-q', query], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('kdb5_util', ['create', '-s', '-r', REALM, '-P', 'master-password-of-a-test-kdc'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const keytab = join(dir, 'libvirt.keytab');
  for (const h of hosts) {
    admin(`addprinc -randkey libvirt/${h}`);
    admin(`ktadd -k ${keytab} libvirt/${h}`);
  }
  readableByTestUser(dir);
  readableByTestUser(krb5Conf);
  readableByTestUser(keytab);

  const kdc = spawn('krb5kdc', ['-n'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  kdc.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  kdc.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  let exited = false;
  kdc.on('exit', () => (exited = true));
  await until(
    () =>
      exited ||
      new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      }),
    { timeoutMs: 10000, message: 'krb5kdc to listen' },
  );
  if (exited) throw new Error(`krb5kdc exited: ${output}`);

  const user = ensureTestUser();
  let caches = 0;
  return {
    realm: REALM,
    host,
    hostAddress,
    keytab,
    env: { KRB5_CONFIG: krb5Conf },
    addUser: (name, password) => void admin(`addprinc -pw ${password} ${name}`),
    async kinit(name, password) {
      const cache = `FILE:${join(dir, `ccache-${name}-${caches++}`)}`;
      const r = await runTool('kinit', [name], { user: user.name, env: { KRB5_CONFIG: krb5Conf, KRB5CCNAME: cache }, input: `${password}\n` });
      if (r.code !== 0) throw new Error(`kinit ${name}: ${r.stderr}`);
      return cache;
    },
    async stop() {
      if (exited) return;
      kdc.kill('SIGTERM');
      await until(() => exited, { timeoutMs: 5000, message: 'krb5kdc to exit' }).catch(() => kdc.kill('SIGKILL'));
    },
  };
}
