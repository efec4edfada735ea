/**
 * runConsole: the interactive console on a terminal. Ink draws nothing until
 * exit when it believes it runs in CI (any CI, CONTINUOUS_INTEGRATION or CI_*
 * variable, decided once when ink is loaded); an operator whose shell exports
 * CI but who sits at a terminal must still see the console, so with a TTY we
 * clear that belief before loading ink.
 */
import { type AdminClient, type DiscoveryOptions, effectiveUri, type Host, type HostEntry, HostPool, type SshSettings } from '../admin-client/index.js';
import { logConsoleEvents, openConsoleLog } from './console-log.js';
import { installInkFrameCache } from './ink-frame-cache.js';
import { CONSOLE_CONNECT, createConsoleStore, SSH_ALIVE_INTERVAL_SEC, SSH_BACKOFF_MS, startPolling } from './store/console-store.js';
import { StoreProvider } from './store/store-context.js';

export interface ConsoleOptions {
  uri?: string;
  interval: number;
  readonly: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Where to look for daemons (the demo points it at its own runtime directory). */
  discovery?: DiscoveryOptions;
  /** --log-file: the console's diagnostics as JSON lines (pino); none without it. */
  logFile?: string;
  /** How `NAME+ssh://` URIs are reached (--ssh-config). */
  ssh?: SshSettings;
  /** Where debug captures keep their restore journals. */
  journalDir?: string;
  /** What --restore did before the console started. */
  restored?: { lines: string[]; ok: boolean };
  /** Where the daemons live; this machine unless said. */
  host?: Host;
  /** The fleet (--host, or the hosts file): the fleet view over these hosts instead of one host. */
  hosts?: HostEntry[];
}

export function interactiveDespiteCi(env: NodeJS.ProcessEnv, isTTY: boolean): void {
  if (!isTTY) return;
  for (const key of Object.keys(env)) if (key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete env[key];
  if ('CI' in env) env.CI = 'false';
}

/**
 * Ink, loaded for a console drawing on `stdout`: interactive on a terminal even where CI is
 * set, with its frames drawn from what earlier frames measured (ink-frame-cache.ts; Ink as it
 * is when that cannot be done). Returns Ink's render and what became of the frame cache.
 */
export async function loadInk(stdout: NodeJS.WriteStream): Promise<{ render: typeof import('ink').render; frameCache: string }> {
  interactiveDespiteCi(process.env, stdout.isTTY === true);
  const { render } = await import('ink');
  return { render, frameCache: await installInkFrameCache() };
}

export async function runConsole(opts: ConsoleOptions): Promise<number> {
  if (opts.hosts?.length) {
    const { runFleetConsole } = await import('./fleet-console.js');
    return runFleetConsole(opts.hosts, opts);
  }
  const stdout = opts.stdout ?? process.stdout;
  const { render, frameCache } = await loadInk(stdout);
  const { App } = await import('./App.js');
  const { log, close: closeLog } = openConsoleLog(opts.logFile);
  log.debug({ frameCache }, 'Ink frame cache');
  // A remote host's ssh connection comes back on its own too, and its daemons' clients with it.
  const hosts = new HostPool({ ssh: { aliveIntervalSec: SSH_ALIVE_INTERVAL_SEC, ...opts.ssh }, reconnect: true, backoffMs: SSH_BACKOFF_MS });
  const uri = effectiveUri(opts.uri);
  const host = opts.host ?? hosts.hostFor(uri);
  let admin: AdminClient;
  try {
    admin = await host.connect(uri, CONSOLE_CONNECT);
  } catch (err) {
    log.error({ uri: opts.uri, err }, 'cannot attach');
    await hosts.close();
    closeLog();
    throw err;
  }
  const store = createConsoleStore(admin, {
    readonly: opts.readonly,
    host,
    discovery: opts.discovery,
    ...(opts.journalDir ? { journalDir: opts.journalDir } : {}),
  });
  // A debug capture left by a console that died: restored already (--restore), or offered now.
  if (opts.restored?.lines.length) store.getState().openText(opts.restored.ok ? 'Left-over debug captures restored (--restore)' : 'Left-over debug captures: NOT all restored', opts.restored.lines.join('\n'));
  else if (!opts.readonly) void store.getState().offerLeftovers().catch((err: Error) => store.getState().note(`capture journals: ${err.message}`));
  // Told to stop (SIGTERM, the terminal gone): quit as with q, so a running capture is restored first.
  const stopRequested = () => store.getState().quit();
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.on(sig, stopRequested);
  const fitScreen = () => store.getState().setScreen((stdout.rows ?? 30) - 12, stdout.columns ?? 100);
  fitScreen();
  stdout.on('resize', fitScreen);
  const unlog = logConsoleEvents(store, log);
  const stop = startPolling(store, opts.interval * 1000);
  const app = render(
    <StoreProvider store={store}>
      <App store={store} />
    </StoreProvider>,
    // Ink's default 30 fps cap would hold a key's frame up to 33 ms behind the last poll's; frames
    // draw only the visible rows, so a higher cap costs little. (Ink 6.8's incrementalRendering
    // garbles the screen when the frame's height changes, so whole frames are written.)
    { stdin: opts.stdin ?? process.stdin, stdout, exitOnCtrlC: true, maxFps: 120 },
  );
  await app.waitUntilExit();
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.off(sig, stopRequested);
  stdout.off('resize', fitScreen);
  stop();
  // q, Ctrl-C, SIGTERM: a running debug capture ends here, every daemon put back before we go.
  const restored = await store.getState().stopCapture('quit');
  if (restored) stdout.write(restored.join('\n') + '\n');
  await store.getState().stopLiveLog();
  // Our own closing of the connections is not news for the log: stop following first.
  unlog();
  await store.getState().closeHost();
  await host.close();
  await hosts.close();
  log.info('console closed');
  closeLog();
  return 0;
}
