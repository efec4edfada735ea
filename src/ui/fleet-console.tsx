/**
 * runFleetConsole: the interactive console over several hosts (issue 14),
 * from --host or the hosts file. Every host attaches on its own; the fleet
 * view draws at once, with each host's row filling in as it answers.
 */
import type { HostEntry } from '../admin-client/index.js';
import { type ConsoleOptions, loadInk } from './console.js';
import { logConsoleEvents, openConsoleLog } from './console-log.js';
import { FleetConsole } from './store/fleet-console.js';

export async function runFleetConsole(entries: HostEntry[], opts: ConsoleOptions): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const { render, frameCache } = await loadInk(stdout);
  const { FleetApp } = await import('./FleetApp.js');
  const { log, close: closeLog } = openConsoleLog(opts.logFile);
  log.debug({ frameCache }, 'Ink frame cache');
  const screen = () => ({ rows: (stdout.rows ?? 30) - 12, columns: stdout.columns ?? 100 });
  const fleet = new FleetConsole(entries, { readonly: opts.readonly, intervalMs: opts.interval * 1000, ssh: opts.ssh, discovery: opts.discovery, screen, ...(opts.journalDir ? { journalDir: opts.journalDir } : {}) });
  const fitScreen = () => fleet.fitScreen(screen().rows, screen().columns);
  stdout.on('resize', fitScreen);
  // Each host's console logs as a single host's would, once it exists.
  const unlogs: (() => void)[] = [];
  const logged = new Set<number>();
  const unwatch = fleet.store.subscribe(() => {
    fleet.hosts.forEach((h, i) => {
      if (h.store && !logged.has(i)) {
        logged.add(i);
        unlogs.push(logConsoleEvents(h.store, log.child({ host: h.host.name })));
      }
    });
  });
  fleet.start();
  // Told to stop (SIGTERM, the terminal gone): quit as with q, so running captures are restored first.
  const stopRequested = () => fleet.store.getState().quit();
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.on(sig, stopRequested);
  const app = render(<FleetApp fleet={fleet} />, { stdin: opts.stdin ?? process.stdin, stdout, exitOnCtrlC: true, maxFps: 120 });
  await app.waitUntilExit();
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.off(sig, stopRequested);
  stdout.off('resize', fitScreen);
  unwatch();
  for (const u of unlogs) u();
  // q, Ctrl-C, SIGTERM: every host's running debug capture ends here, its daemons put back before we go.
  const restored = await fleet.close();
  if (restored.length) stdout.write(restored.join('\n') + '\n');
  log.info('console closed');
  closeLog();
  return 0;
}
