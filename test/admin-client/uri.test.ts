/**
 * Admin URIs resolve as virt-admin 9.0 resolves them: the cases of
 * golden/admin/uri_errors.txt (recorded as uid 1001 with XDG_RUNTIME_DIR=/tmp/rx),
 * defaults, aliases and fallbacks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClientConfig, resolveAdminUri, type UriContext } from '../../src/admin-client/index.js';
import { VirError } from '../../src/rpc/index.js';

const user: UriContext = { env: { XDG_RUNTIME_DIR: '/tmp/rx', HOME: '/home/u' }, euid: 1001, config: { uriAliases: new Map() } };
const root: UriContext = { env: {}, euid: 0, config: { uriAliases: new Map() } };

const CASES: { uri: string | undefined; ctx?: UriContext; socket?: string; error?: string }[] = [
  { uri: 'libvirtd:///foo', error: "unsupported configuration: Invalid URI path '/foo', try '/system'" },
  { uri: 'qemu:///system', error: "unsupported configuration: Unsupported URI scheme 'qemu'" },
  { uri: 'virtqemud:///session', socket: '/tmp/rx/libvirt/virtqemud-admin-sock' },
  { uri: 'libvirtd:///session?foo=bar', error: "unsupported configuration: Unknown URI parameter 'foo'" },
  { uri: 'libvirtd://host/system', socket: '/run/libvirt/libvirt-admin-sock' },
  { uri: 'libvirtd+ssh://host/system', error: "unsupported configuration: Unsupported URI scheme 'libvirtd+ssh'" },
  { uri: 'libvirtd+unix:///system', error: "unsupported configuration: Unsupported URI scheme 'libvirtd+unix'" },
  { uri: 'libvirtd:///system', socket: '/run/libvirt/libvirt-admin-sock' },
  { uri: 'virtlogd:///session', socket: '/tmp/rx/libvirt/virtlogd-admin-sock' },
  { uri: 'libvirtd:', error: "unsupported configuration: Invalid URI path '', try '/system'" },
  { uri: 'libvirtd:///session?socket=/nonexistent/x', socket: '/nonexistent/x' },
  { uri: 'qemu:///nonsense?socket=/x/y', socket: '/x/y' },
  { uri: '/just/a/path', error: 'unsupported configuration: No URI scheme specified' },
  { uri: undefined, socket: '/tmp/rx/libvirt/libvirt-admin-sock' },
  { uri: undefined, ctx: root, socket: '/run/libvirt/libvirt-admin-sock' },
  { uri: undefined, ctx: { ...user, env: { ...user.env, LIBVIRT_ADMIN_DEFAULT_URI: 'virtlogd:///session' } }, socket: '/tmp/rx/libvirt/virtlogd-admin-sock' },
  { uri: 'libvirtd:///session', ctx: { ...user, env: { HOME: '/home/u' } }, socket: '/home/u/.cache/libvirt/libvirt-admin-sock' },
  { uri: 'libvirtd:///session', ctx: { ...user, env: { XDG_CACHE_HOME: '/c' } }, socket: '/c/libvirt/libvirt-admin-sock' },
  { uri: 'mine', ctx: { ...user, config: parseClientConfig('uri_aliases = [\n  "mine=virtqemud:///session", # comment\n]\n') }, socket: '/tmp/rx/libvirt/virtqemud-admin-sock' },
  { uri: undefined, ctx: { ...user, config: parseClientConfig('uri_default = "virtlockd:///session"\n') }, socket: '/tmp/rx/libvirt/virtlockd-admin-sock' },
];

for (const c of CASES) {
  test(`URI ${c.uri ?? '(default)'} -> ${c.socket ?? c.error}`, () => {
    const ctx = c.ctx ?? user;
    if (c.error) {
      assert.throws(() => resolveAdminUri(c.uri, ctx), (e: unknown) => e instanceof VirError && e.message === c.error);
    } else {
      assert.equal(resolveAdminUri(c.uri, ctx).socketPath, c.socket);
    }
  });
}

test('a malformed alias is a clear error', () => {
  assert.throws(() => parseClientConfig('uri_aliases = [ "bad name=x:///y" ]'), VirError);
});
