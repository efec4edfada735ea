/**
 * The rule (issue 17): a security-relevant setting is enforced or refused at
 * start-up naming the key and the file, never accepted and ignored. This table
 * states, for every key our daemons read, which it is: enforced (and the test
 * that proves it), refused in some values (and the test), or harmless to
 * ignore (and why). A key added to a schema without a row here fails this
 * test, so none slips in unchecked.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HELPER_DAEMON_KEYS, REMOTE_DAEMON_KEYS } from '../../src/daemons/config/index.js';
import { REPO_ROOT } from '../helpers/tools.js';

type Policy =
  /** Honoured as libvirt honours it; the test shows the effect. */
  | { enforced: string }
  /** Honoured where it can be; values this build cannot honour stop start-up (the test shows both). */
  | { refusedUnless: string; proof: string }
  /** Read and checked, but it changes nothing a client could notice or exploit here. */
  | { harmless: string };

const SECURITY = 'test/security';
const DAEMONS = 'test/daemons';

const REMOTE: Readonly<Record<string, Policy>> = {
  listen_tls: { enforced: `${DAEMONS}/tls.test.ts` },
  listen_tcp: { enforced: `${DAEMONS}/virtproxyd.test.ts` },
  tls_port: { enforced: `${DAEMONS}/tls.test.ts` },
  tcp_port: { enforced: `${DAEMONS}/virtproxyd.test.ts` },
  listen_addr: { enforced: `${DAEMONS}/tls.test.ts` },
  unix_sock_group: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  unix_sock_ro_perms: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  unix_sock_rw_perms: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  unix_sock_admin_perms: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  unix_sock_dir: { enforced: `${DAEMONS}/system-mode.test.ts` },
  // none, polkit (session-auth.test.ts) and sasl (issue 11) are each enforced on every socket that serves.
  auth_unix_ro: { enforced: `${SECURITY}/startup-refusals.test.ts` },
  auth_unix_rw: { enforced: `${SECURITY}/sasl-scram.test.ts` },
  auth_tcp: { enforced: `${SECURITY}/sasl-gssapi.test.ts` },
  auth_tls: { enforced: `${SECURITY}/sasl-scram.test.ts` },
  tcp_min_ssf: { enforced: `${SECURITY}/sasl-gssapi.test.ts` },
  access_drivers: { refusedUnless: '"none" ("polkit" and unknown names stop start-up)', proof: `${SECURITY}/startup-refusals.test.ts` },
  key_file: { enforced: `${DAEMONS}/tls.test.ts` },
  cert_file: { enforced: `${SECURITY}/tls-settings.test.ts` },
  ca_file: { enforced: `${SECURITY}/tls-settings.test.ts` },
  crl_file: { enforced: `${SECURITY}/tls-settings.test.ts` },
  tls_no_sanity_certificate: { enforced: `${SECURITY}/tls-settings.test.ts` },
  tls_no_verify_certificate: { enforced: `${SECURITY}/tls-settings.test.ts` },
  tls_allowed_dn_list: { enforced: `${DAEMONS}/tls.test.ts` },
  sasl_allowed_username_list: { enforced: `${SECURITY}/sasl-scram.test.ts` },
  tls_priority: { refusedUnless: 'a priority whose every element this build can enforce', proof: `${SECURITY}/tls-settings.test.ts` },
  min_workers: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  max_workers: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  prio_workers: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  max_clients: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  max_queued_clients: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  max_anonymous_clients: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  max_client_requests: { enforced: `${DAEMONS}/client-requests.test.ts` },
  admin_min_workers: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  admin_max_workers: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  admin_max_clients: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  admin_max_queued_clients: { enforced: 'test/robustness/malformed-input.test.ts' },
  admin_max_client_requests: { enforced: `${DAEMONS}/client-requests.test.ts` },
  log_level: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  log_filters: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  log_outputs: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  audit_level: { refusedUnless: '0 or 1 (2 demands auditing; 1 starts with a warning that no records are written)', proof: `${SECURITY}/startup-refusals.test.ts` },
  audit_logging: { enforced: `${SECURITY}/startup-refusals.test.ts` },
  host_uuid: { harmless: 'the host UUID libvirt reports in capabilities and sysinfo; no procedure of this build reports it' },
  host_uuid_source: { harmless: 'where host_uuid comes from; no procedure of this build reports it' },
  keepalive_interval: { enforced: `${DAEMONS}/session-policy.test.ts` },
  keepalive_count: { enforced: `${DAEMONS}/session-policy.test.ts` },
  admin_keepalive_interval: { harmless: 'libvirt 9.0 never pings admin clients (only the remote program advertises keepalive), nor do we' },
  admin_keepalive_count: { harmless: 'libvirt 9.0 never pings admin clients (only the remote program advertises keepalive), nor do we' },
  ovs_timeout: { harmless: 'the timeout of Open vSwitch commands; no driver of this build runs them' },
  keepalive_required: { harmless: 'no longer read by libvirt 9.0; accepted so old files keep working' },
  admin_keepalive_required: { harmless: 'no longer read by libvirt 9.0; accepted so old files keep working' },
  client_packet_timeout: { enforced: 'test/robustness/slow-clients.test.ts' },
  client_auth_timeout: { enforced: 'test/robustness/slow-clients.test.ts' },
};

const HELPER: Readonly<Record<string, Policy>> = {
  log_level: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  log_filters: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  log_outputs: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  max_clients: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  admin_max_clients: { enforced: `${DAEMONS}/config-keys-honoured.test.ts` },
  max_size: { enforced: `${DAEMONS}/virtlogd.test.ts` },
  max_backups: { enforced: `${DAEMONS}/virtlogd.test.ts` },
  unix_sock_dir: { enforced: `${DAEMONS}/helper-daemons.test.ts` },
};

/** The proof must exist and name the key (the config line it sets, or the behaviour it checks). */
function checkProof(key: string, file: string): void {
  const path = join(REPO_ROOT, file);
  assert.ok(existsSync(path), `${key}: ${file} does not exist`);
  assert.ok(readFileSync(path, 'utf8').includes(key), `${key}: ${file} does not mention it`);
}

function checkTable(schema: readonly string[], table: Readonly<Record<string, Policy>>, what: string): void {
  assert.deepEqual(Object.keys(table).sort(), [...schema].sort(), `every ${what} key has exactly one row`);
  for (const [key, policy] of Object.entries(table)) {
    if ('enforced' in policy) checkProof(key, policy.enforced);
    else if ('refusedUnless' in policy) checkProof(key, policy.proof);
    else assert.ok(policy.harmless.length > 20, `${key}: say why it is harmless`);
  }
}

test('every key of libvirtd.conf, virtproxyd.conf and virt${DRIVER}d.conf is enforced, refused or harmless, with its proof', () => {
  checkTable(Object.keys(REMOTE_DAEMON_KEYS), REMOTE, 'remote-daemon');
});

test('every key of virtlogd.conf and virtlockd.conf is enforced, refused or harmless, with its proof', () => {
  const keys = [...new Set(Object.values(HELPER_DAEMON_KEYS).flat())];
  checkTable(keys, HELPER, 'helper-daemon');
});
