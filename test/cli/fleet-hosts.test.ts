/**
 * Which hosts the console opens the fleet view on (issue 14): each --host, or
 * else the hosts file when no single daemon is named; -c (or --demo) alone is
 * the one-host console, and -c with --host is refused, as is a bad spec.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HostEntry } from '../../src/admin-client/index.js';
import { type ConsoleLauncher, runCli } from '../../src/ui/cli/cli-program.js';

async function launched(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; hosts?: HostEntry[]; uri?: string; stderr: string }> {
  let got: Parameters<ConsoleLauncher>[0] | undefined;
  let stderr = '';
  const code = await runCli(argv, { stdout: () => {}, stderr: (t) => void (stderr += t) }, async (opts) => ((got = opts), 0), undefined, env);
  return { code, hosts: got?.hosts, uri: got?.uri, stderr };
}

test('--host, the hosts file, or one daemon', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-hosts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { XDG_CONFIG_HOME: dir };
  // No hosts file: the one-host console.
  assert.equal((await launched([], env)).hosts, undefined);
  mkdirSync(join(dir, 'virt-admin-tui'));
  writeFileSync(join(dir, 'virt-admin-tui', 'hosts'), '# fleet\nroot@kvm1:2222 system\nkvm2\n');
  assert.deepEqual((await launched([], env)).hosts?.map((h) => h.spec), ['root@kvm1:2222 system', 'kvm2'], 'the file, when nothing else is said');
  assert.deepEqual((await launched(['--host', 'web1 session', '--host', 'localhost'], env)).hosts?.map((h) => h.spec), ['web1 session', 'localhost'], '--host in place of the file');
  const one = await launched(['-c', 'virtqemud:///session'], env);
  assert.equal(one.hosts, undefined, '-c: one daemon, the file unread');
  assert.equal(one.uri, 'virtqemud:///session');
  const both = await launched(['-c', 'virtqemud:///session', '--host', 'web1'], env);
  assert.equal(both.code, 1);
  assert.equal(both.stderr, 'error: --host opens the fleet view; -c names a single daemon: give one or the other\n');
  const bad = await launched(['--host', 'web1 sytem'], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, "error: 'web1 sytem': unknown word 'sytem' (expected system, session, keyfile=PATH or known_hosts=PATH)\n");
  writeFileSync(join(dir, 'virt-admin-tui', 'hosts'), 'kvm1\nkvm2 nonsense\n');
  assert.equal((await launched([], env)).stderr, `error: ${join(dir, 'virt-admin-tui', 'hosts')}:2: 'kvm2 nonsense': unknown word 'nonsense' (expected system, session, keyfile=PATH or known_hosts=PATH)\n`);
});
