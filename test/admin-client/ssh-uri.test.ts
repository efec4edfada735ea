/**
 * Remote URIs (`NAME+ssh://[user@]host[:port]/system|session[?socket=&keyfile=&known_hosts=]`)
 * and the fleet's host list (`--host`, the hosts file): what each part becomes, and a clear
 * error for everything else.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  effectiveUri,
  HostPool,
  hostsFilePath,
  HostSpecError,
  isSshUri,
  LocalHost,
  parseClientConfig,
  parseHostSpec,
  parseHostsFile,
  parseSshUri,
  readHostsFile,
  SshHost,
  sshAdminUri,
} from '../../src/admin-client/index.js';
import { VirError } from '../../src/rpc/index.js';

const URIS: { uri: string; want?: Partial<ReturnType<typeof parseSshUri>>; error?: string }[] = [
  { uri: 'libvirtd+ssh://tester@127.0.0.1:2222/session', want: { daemon: 'libvirtd', mode: 'session', socket: undefined, destination: { user: 'tester', host: '127.0.0.1', port: 2222 }, transport: {} } },
  { uri: 'virtqemud+ssh://web1/system', want: { daemon: 'virtqemud', mode: 'system', destination: { host: 'web1' }, transport: {} } },
  { uri: 'virtlogd+ssh://root@[2001:db8::7]:22/system', want: { destination: { user: 'root', host: '2001:db8::7', port: 22 } } },
  {
    uri: 'libvirtd+ssh://ops@kvm3/system?socket=/srv/libvirt/admin%20sock&keyfile=/home/me/.ssh/kvm&known_hosts=/home/me/kh',
    want: { socket: '/srv/libvirt/admin sock', transport: { keyfile: '/home/me/.ssh/kvm', knownHosts: '/home/me/kh' } },
  },
  { uri: 'libvirtd+ssh://h/anything?socket=/x', want: { mode: undefined, socket: '/x' } },
  { uri: 'libvirtd+ssh:///system', error: "unsupported configuration: No host in 'libvirtd+ssh:///system': an ssh URI names the host, e.g. libvirtd+ssh://root@host/system" },
  { uri: 'libvirtd+ssh://h/foo', error: "unsupported configuration: Invalid URI path '/foo', try '/system'" },
  { uri: 'libvirtd+ssh://h/system?no_tty=1', error: "unsupported configuration: Unknown URI parameter 'no_tty'" },
  { uri: 'libvirtd+ssh://h:99999/system', error: "unsupported configuration: Invalid port 99999 in 'h:99999': 1 to 65535" },
  { uri: 'libvirtd+ssh://@h/system', error: "unsupported configuration: Invalid host '@h': expected [user@]host[:port]" },
  { uri: 'libvirtd+ssh://h/system?socket=relative', error: "unsupported configuration: The socket on the remote host must be an absolute path, not 'relative'" },
];

for (const c of URIS) {
  test(`ssh URI ${c.uri}`, () => {
    assert.ok(isSshUri(c.uri));
    if (c.error) assert.throws(() => parseSshUri(c.uri), (e: unknown) => e instanceof VirError && e.message === c.error);
    else {
      const got = parseSshUri(c.uri);
      for (const [k, v] of Object.entries(c.want!)) assert.deepEqual(got[k as keyof typeof got], v, k);
    }
  });
}

test("virt-admin's own URIs stay local, with virt-admin's errors (the +ssh transport is ours)", () => {
  for (const uri of ['libvirtd:///system', 'libvirtd://host/system', 'libvirtd+unix:///system', 'qemu+ssh://h/system']) assert.equal(isSshUri(uri), false, uri);
  const pool = new HostPool();
  assert.ok(pool.hostFor('libvirtd:///session') instanceof LocalHost);
});

test('a discovered daemon gets a URI that parses back to the same place', () => {
  const dest = { user: 'ops', host: '2001:db8::7', port: 2200 };
  const uri = sshAdminUri('virtqemud', dest, 'system', '/run/libvirt/virtqemud-admin-sock', { keyfile: '/k&ey' });
  assert.equal(uri, 'virtqemud+ssh://ops@[2001:db8::7]:2200/system?socket=/run/libvirt/virtqemud-admin-sock&keyfile=/k%26ey');
  assert.deepEqual(parseSshUri(uri), { uri, daemon: 'virtqemud', mode: 'system', socket: '/run/libvirt/virtqemud-admin-sock', destination: dest, transport: { keyfile: '/k&ey' } });
});

test('one host per destination and options, however many daemons: the pool shares it', () => {
  const pool = new HostPool();
  const a = pool.hostFor('libvirtd+ssh://tester@h:2222/session');
  assert.ok(a instanceof SshHost);
  assert.equal(a.name, 'tester@h:2222');
  assert.equal(pool.hostFor('virtqemud+ssh://tester@h:2222/system?socket=/x'), a);
  assert.notEqual(pool.hostFor('libvirtd+ssh://h:2222/session'), a, 'another user is another connection');
  assert.notEqual(pool.hostFor('libvirtd+ssh://tester@h:2222/session?keyfile=/k'), a, 'another key is another connection');
});

test('an alias or the default URI may name a remote daemon', () => {
  const ctx = { env: {}, euid: 1000, config: parseClientConfig('uri_aliases = [ "web1=libvirtd+ssh://root@web1/system" ]\nuri_default = "virtqemud+ssh://kvm/system"\n') };
  assert.equal(effectiveUri('web1', ctx), 'libvirtd+ssh://root@web1/system');
  assert.equal(effectiveUri(undefined, ctx), 'virtqemud+ssh://kvm/system');
});

test('host specs: user, port, mode, options; localhost is this machine', () => {
  assert.deepEqual(parseHostSpec('localhost'), { kind: 'local', spec: 'localhost' });
  assert.deepEqual(parseHostSpec('localhost session'), { kind: 'local', spec: 'localhost session', modes: ['session'] });
  assert.deepEqual(parseHostSpec('tester@localhost'), { kind: 'ssh', spec: 'tester@localhost', destination: { user: 'tester', host: 'localhost' }, transport: {} });
  assert.deepEqual(parseHostSpec('root@db1.example.com:2222 system'), { kind: 'ssh', spec: 'root@db1.example.com:2222 system', destination: { user: 'root', host: 'db1.example.com', port: 2222 }, transport: {}, modes: ['system'] });
  assert.deepEqual(parseHostSpec('ops@[2001:db8::7]/session'), { kind: 'ssh', spec: 'ops@[2001:db8::7]/session', destination: { user: 'ops', host: '2001:db8::7' }, transport: {}, modes: ['session'] });
  assert.deepEqual(parseHostSpec('kvm3 keyfile=/k known_hosts=/kh').kind === 'ssh' && parseHostSpec('kvm3 keyfile=/k known_hosts=/kh'), {
    kind: 'ssh', spec: 'kvm3 keyfile=/k known_hosts=/kh', destination: { host: 'kvm3' }, transport: { keyfile: '/k', knownHosts: '/kh' },
  });
  assert.throws(() => parseHostSpec('web1 sytem'), new HostSpecError("'web1 sytem': unknown word 'sytem' (expected system, session, keyfile=PATH or known_hosts=PATH)"));
  assert.throws(() => parseHostSpec('web1/system session'), new HostSpecError("'web1/system session': the mode is given twice"));
  assert.throws(() => parseHostSpec('a:b:c'), /Invalid host 'a:b:c'/);
});

test('the hosts file: one host a line, comments and blank lines skipped, an error names its line', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hosts-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { XDG_CONFIG_HOME: dir };
  assert.equal(hostsFilePath(env), join(dir, 'virt-admin-tui', 'hosts'));
  assert.equal(readHostsFile(env), undefined, 'no file: no hosts from it');
  mkdirSync(join(dir, 'virt-admin-tui'));
  writeFileSync(hostsFilePath(env), '# the fleet\nlocalhost\n\n  web1   # a Host of ~/.ssh/config\nroot@db1:2222 system\n');
  assert.deepEqual(readHostsFile(env)!.map((h) => h.spec), ['localhost', 'web1', 'root@db1:2222 system']);
  assert.throws(() => parseHostsFile('web1\nweb2 nonsense\n', '/x/hosts'), new HostSpecError("/x/hosts:2: 'web2 nonsense': unknown word 'nonsense' (expected system, session, keyfile=PATH or known_hosts=PATH)"));
});
