/**
 * Every remote-protocol daemon of the specification, in every mode the
 * document gives it: the sockets that appear (names, modes), the real
 * virt-admin listing its servers, and the real virsh opening its driver's URI
 * (or getting libvirt's error where this host has no such hypervisor). A
 * system-only daemon asked for session mode refuses to start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startInMode } from '../helpers/daemon-in-mode.js';
import { spawnVirtd } from '../helpers/spawn-virtd.js';
import { runTool } from '../helpers/tools.js';

type Mode = 'system' | 'session';

/** From daemons.rst / daemons.md §1: socket prefix, modes, and the URI scheme a client opens (none: no driver on this host). */
const DAEMONS: [name: string, prefix: string, modes: Mode[], scheme: string, served: boolean | 'proxied'][] = [
  ['libvirtd', 'libvirt', ['system', 'session'], 'qemu', true],
  ['virtqemud', 'virtqemud', ['system', 'session'], 'qemu', true],
  ['virtxend', 'virtxend', ['system'], 'xen', false],
  ['virtlxcd', 'virtlxcd', ['system'], 'lxc', true],
  ['virtbhyved', 'virtbhyved', ['system'], 'bhyve', false],
  ['virtvboxd', 'virtvboxd', ['system', 'session'], 'vbox', false],
  ['virtinterfaced', 'virtinterfaced', ['system'], 'interface', true],
  ['virtnetworkd', 'virtnetworkd', ['system'], 'network', true],
  ['virtnodedevd', 'virtnodedevd', ['system'], 'nodedev', true],
  ['virtnwfilterd', 'virtnwfilterd', ['system'], 'nwfilter', true],
  ['virtsecretd', 'virtsecretd', ['system', 'session'], 'secret', true],
  ['virtstoraged', 'virtstoraged', ['system', 'session'], 'storage', true],
  // virtproxyd serves no URI itself: alone, qemu:// is passed to a virtqemud that is not there (virtproxyd.test.ts).
  ['virtproxyd', 'libvirt', ['system', 'session'], 'qemu', 'proxied'],
];

const perms = (path: string) => (statSync(path).mode & 0o777).toString(8);

for (const [name, prefix, modes, scheme, served] of DAEMONS) {
  describe(`virtd ${name}`, () => {
    for (const mode of modes) {
      test(`${mode} mode: sockets, server-list, and ${scheme}:///${mode}`, async (t) => {
        const { sockets, env } = await startInMode(t, name, prefix, mode);

        if (mode === 'system') {
          assert.deepEqual(readdirSync(sockets).sort(), [`${prefix}-admin-sock`, `${prefix}-sock`, `${prefix}-sock-ro`]);
          // Debian's build uses polkit on the rw socket in system mode, hence 0777 there (daemons.md §2).
          assert.deepEqual([perms(join(sockets, `${prefix}-sock`)), perms(join(sockets, `${prefix}-sock-ro`)), perms(join(sockets, `${prefix}-admin-sock`))], ['777', '777', '700']);
        } else {
          assert.deepEqual(readdirSync(sockets).sort(), [`${name}.pid`, `${prefix}-admin-sock`, `${prefix}-sock`].sort(), 'no read-only socket in session mode');
          assert.deepEqual([perms(join(sockets, `${prefix}-sock`)), perms(join(sockets, `${prefix}-admin-sock`))], ['700', '700']);
        }

        const list = await runTool('virt-admin', ['-c', `${name}:///${mode}?socket=${join(sockets, `${prefix}-admin-sock`)}`, 'server-list'], { env });
        assert.equal(list.code, 0, list.stderr);
        assert.match(list.stdout, new RegExp(`^ 0 +${name}$`, 'm'));
        assert.match(list.stdout, /^ 1 +admin$/m);

        const uri = `${scheme}:///${mode}`;
        const full = `${uri}?socket=${join(sockets, `${prefix}-sock`)}`;
        const virsh = await runTool('virsh', ['-c', full, 'uri'], { env: { ...env, LIBVIRT_AUTOSTART: '0' }, timeoutMs: 30000 });
        if (served === 'proxied') {
          assert.equal(virsh.code, 1);
          assert.match(virsh.stderr, new RegExp(`Failed to connect socket to '${join(sockets, 'virtqemud-sock')}'`));
        } else if (served) {
          assert.equal(virsh.code, 0, virsh.stderr);
          assert.equal(virsh.stdout.trim(), full);
        } else {
          assert.equal(virsh.code, 1);
          assert.match(virsh.stderr, new RegExp(`no connection driver available for ${uri}`));
        }
      });
    }
    if (!modes.includes('session')) {
      test('session mode is refused at start', async (t) => {
        const dir = mkdtempSync(join(tmpdir(), `virtd-${name}-refused-`));
        t.after(() => rmSync(dir, { recursive: true, force: true }));
        const p = spawnVirtd([name, '--mode', 'session'], { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: dir });
        assert.equal(await p.waitExit(), 1);
        assert.match(p.output(), new RegExp(`${name}: session mode is not supported by this daemon \\(it runs in: system\\)`));
        assert.deepEqual(readdirSync(dir), [], 'nothing created');
      });
    }
  });
}
