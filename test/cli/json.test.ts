/** --json: every verb prints one JSON object on stdout; failures a JSON error on stderr. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient } from '../helpers/raw-client.js';
import { TUI_BIN } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

test('every verb with --json', async (t) => {
  const d = await startVirtd('libvirtd');
  const live = await RawClient.connect(d.mainSocket);
  await live.remoteCall();
  t.after(async () => {
    live.close();
    await d.stop();
  });
  const json = async (...args: string[]) => {
    const r = await d.run(process.execPath, [TUI_BIN, '-c', d.adminUri, ...args, '--json']);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  assert.deepEqual((await json('server-list')).servers.map((s: { name: string }) => s.name).sort(), ['admin', 'libvirtd']);
  // One call gives who every client is (issue 9): libvirt's client-info fields, in camelCase like every field.
  const [listed] = (await json('client-list', 'libvirtd')).clients;
  assert.deepEqual(
    { ...listed, connectedAt: typeof listed.connectedAt, processName: typeof listed.processName },
    { id: 2, transport: 'unix', connectedAt: 'number', readonly: false, unixUserId: 0, unixUserName: 'root', unixGroupId: 0, unixGroupName: 'root', unixProcessId: process.pid, processName: 'string' },
  );
  const info = await json('client-info', 'libvirtd', '2');
  assert.deepEqual({ ...info, connectedAt: typeof info.connectedAt, processName: undefined }, { server: 'libvirtd', ...listed, connectedAt: 'number', processName: undefined });
  assert.equal((await json('srv-threadpool-info', 'libvirtd')).maxWorkers, 20);
  assert.deepEqual(await json('srv-threadpool-set', 'libvirtd', '--max-workers', '24'), { server: 'libvirtd', set: { maxWorkers: 24 } });
  assert.equal((await json('srv-clients-info', 'libvirtd')).nclientsMax, 5000);
  assert.equal((await json('srv-clients-set', 'libvirtd', '--max-clients', '60')).server, 'libvirtd');
  assert.deepEqual(await json('daemon-log-filters'), { filters: null, count: 0 });
  assert.deepEqual(await json('daemon-log-filters', '--filters', '1:rpc'), { set: '1:rpc' });
  assert.deepEqual(await json('daemon-log-filters'), { filters: '1:*rpc* ', count: 1 });
  assert.deepEqual(await json('daemon-log-outputs'), { outputs: '3:stderr', count: 1 });
  assert.deepEqual(await json('daemon-timeout', '--timeout', '0'), { timeout: 0 });
  assert.deepEqual(await json('version'), { protocol: '9.0.0', daemon: '9.0.0' });
  assert.equal((await json('uri')).uri, d.adminUri);
  assert.deepEqual(await json('client-disconnect', 'libvirtd', '2'), { server: 'libvirtd', id: 2, disconnected: true });

  const bad = await d.run(process.execPath, [TUI_BIN, '-c', d.adminUri, 'server-update-tls', 'libvirtd', '--json']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.deepEqual(JSON.parse(bad.stderr), {
    error: { message: 'internal error: no tls service found, unable to update tls files', code: 1, domain: 7, context: "Unable to update server's tls related files." },
  });
});
