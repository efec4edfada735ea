/**
 * A daemon's config file, wrong: start-up stops (exit 1) naming the file, the
 * line, the key and why; an unknown key is only a warning. For a remote
 * daemon and for a helper daemon, each with its own keys.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnVirtd, waitForSocket } from '../helpers/spawn-virtd.js';
import { until } from '../helpers/until.js';

const CASES: [daemon: string, text: string, expected: RegExp][] = [
  ['virtqemud', 'max_clients = 1.5\n', /configuration file syntax error: (\S+):1: expecting a separator/],
  ['virtqemud', 'log_filters = "1:qemu"\nmax_clients = "many"\n', /(\S+):2: expected an unsigned integer for 'max_clients' parameter/],
  ['virtqemud', 'max_workers = 0\n', /(\S+):1: 'max_workers' must be greater than 0/],
  ['virtqemud', 'unix_sock_rw_perms = "0999"\n', /(\S+):1: Failed to parse mode '0999' for 'unix_sock_rw_perms'/],
  ['virtqemud', 'max_clients = 10\n', /(\S+):1: The overall maximum number of clients must not be less than the number of clients waiting for authentication/],
  ['virtqemud', 'auth_unix_rw = "kerberos"\n', /(\S+):1: .*auth_unix_rw.*kerberos/],
  ['virtlogd', 'max_size = "big"\n', /(\S+):1: expected an unsigned integer for 'max_size' parameter/],
  ['virtlockd', '\nlog_level = 7\n', /(\S+):2: 'log_level' must be between 0 and 4/],
  // issue 10: libvirt accepts 50 and fails every guest's log open with this text instead.
  ['virtlogd', 'max_size = 4096\nmax_backups = 50\n', /(\S+):2: 'max_backups': unsupported configuration: Max backup 50 must be less than or equal to 32/],
];

for (const [daemon, text, expected] of CASES) {
  test(`${daemon}: ${text.trim().replace(/\n/g, '; ')} stops start-up with file, line and why`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'virtd-conf-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, `${daemon}.conf`);
    writeFileSync(file, text);
    const p = spawnVirtd([daemon, '--mode', 'session', '-f', file], { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir });
    assert.equal(await p.waitExit(), 1);
    const m = expected.exec(p.output());
    assert.ok(m, p.output());
    assert.equal(m[1], file, 'the file is named');
    assert.match(p.output(), new RegExp(`Can't load config file: .*: ${file}`));
  });
}

test('an unknown key is a warning naming file and line; the daemon starts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-conf-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [daemon, key] of [['virtqemud', 'listen_tls'], ['virtlogd', 'max_workers']] as const) {
    const file = join(dir, `${daemon}.conf`);
    // listen_tls is libvirtd's and virtproxyd's only; max_workers is not virtlogd's.
    writeFileSync(file, `log_level = 3\n${key} = 1\n`);
    const p = spawnVirtd([daemon, '--mode', 'session', '-f', file], { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: join(dir, daemon) });
    t.after(() => p.stop()); // a failed assertion must not leave the daemon holding the test process
    await waitForSocket(p, join(dir, daemon, 'libvirt', `${daemon}-admin-sock`));
    // The warning reaches us through a pipe, a moment after the socket file appears.
    const warning = new RegExp(`warning : .*${file}:2: unknown configuration key '${key}' for ${daemon}, ignored`);
    await until(() => warning.test(p.output()), { message: `the warning in: ${p.output()}` }).catch(() => assert.match(p.output(), warning));
    await p.stop();
  }
});
