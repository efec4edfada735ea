/**
 * The live log view (6) with a real daemon behind it: our virtqemud's record of a
 * virsh call is on screen within 200 ms of the daemon logging it (pushed through
 * the extension program, drawn from the store), through the view's own filters.
 * Debian's libvirtd 9.0 cannot
 * stream: its file output is followed, in tmux as an operator sees it.
 */
import '../helpers/interactive-ink.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { AdminClient } from '../../src/admin-client/index.js';
import { App } from '../../src/ui/App.js';
import { createConsoleStore } from '../../src/ui/store/console-store.js';
import { StoreProvider } from '../../src/ui/store/store-context.js';
import { startConsolePane } from '../helpers/console-pane.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

test("our virtqemud: a virsh call's record on screen within 200 ms of the daemon logging it", async (t) => {
  const d = await startVirtd('virtqemud');
  t.after(() => d.stop());
  const admin = await AdminClient.connect(d.adminUri);
  const store = createConsoleStore(admin, { readonly: false, discovery: { sessionDir: d.runtimeDir, systemDir: d.dir } });
  const ui = render(
    <StoreProvider store={store}>
      <App store={store} />
    </StoreProvider>,
  );
  t.after(async () => {
    ui.unmount();
    await store.getState().stopLiveLog();
    await admin.close();
  });
  const frame = () => ui.lastFrame() ?? '';
  store.setState({ liveLogFilters: '1:libvirt' });
  ui.stdin.write('6');
  await until(() => /streamed by the daemon \(filters: 1:\*libvirt\*, priority 3 for the rest\)/.test(frame()), { message: 'the view streaming' });
  assert.equal((await d.virsh(['hostname'])).code, 0);
  let seenAt = 0;
  await until(
    () => {
      if (!/debug   libvirt\.host : virConnectGetHostname: client=\d+/.test(frame())) return false;
      seenAt = Date.now();
      return true;
    },
    { intervalMs: 2, message: 'the call on screen' },
  );
  const line = store.getState().liveLog!.lines.find((l) => l.text.startsWith('virConnectGetHostname'))!;
  const latency = seenAt - Date.parse(line.time!);
  assert.ok(latency < 200, `on screen ${latency} ms after the daemon logged it`);
});

test("libvirtd 9.0: its log file is followed, in tmux", async (t) => {
  const d = await startRealLibvirtd({ config: 'log_filters = "1:libvirt 3:*"\n' });
  t.after(() => d.stop());
  const file = `${d.dir}/cache/libvirtd-live.log`;
  assert.equal((await d.virtAdmin(['daemon-log-outputs', `1:file:${file}`])).code, 0);
  const pane = startConsolePane(d, { width: 180, height: 40 });
  t.after(() => pane.close());
  pane.send('6');
  await pane.waitFor(new RegExp(`following ${file} \\(the daemon's file output\\)`), 'the file followed');
  assert.equal((await d.virsh(['hostname'])).code, 0);
  await pane.waitFor(/debug   virConnectGetHostname:\d+ : conn=/, "libvirtd's line on screen");
});
