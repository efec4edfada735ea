/**
 * The console's own diagnostics, through pino into the file given with --log-file (JSON
 * lines), never to the terminal it draws on: the daemon it attached to, every change of
 * its connection (with the error that ended it), and every outcome the status line
 * shows (actions done or refused, the daemon's errors). Without --log-file nothing is
 * logged. The file is checked when the console starts, so a bad path is an error before
 * the screen is drawn, not a silent loss.
 */
import { closeSync, openSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import type { ConsoleStore } from './store/console-store.js';

export interface ConsoleLog {
  log: Logger;
  /** Writes out what is buffered; call before the process exits. */
  close(): void;
}

export function openConsoleLog(path: string | undefined): ConsoleLog {
  if (!path) return { log: pino({ enabled: false }), close: () => {} };
  try {
    closeSync(openSync(path, 'a', 0o600));
  } catch (err) {
    throw new Error(`cannot open the log file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const destination = pino.destination({ dest: path, append: true, sync: false });
  destination.on('error', () => {}); // a full disk must not take the console down with it
  const log = pino({ base: { pid: process.pid, program: 'virt-admin-tui' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return {
    log,
    close: () => {
      try {
        destination.flushSync();
      } catch {
        // not open yet: nothing was written
      }
    },
  };
}

/** Logs what the store reports: connection changes and the status line's messages. Returns the unsubscribe. */
export function logConsoleEvents(store: ConsoleStore, log: Logger): () => void {
  const first = store.getState();
  log.info({ uri: first.uri, connection: first.connection }, 'console attached');
  return store.subscribe((s, prev) => {
    if (s.uri !== prev.uri) log.info({ uri: s.uri }, 'attached to another daemon');
    if (s.connection !== prev.connection) {
      const fields = { uri: s.uri, connection: s.connection, error: s.connectionError };
      if (s.connectionError && s.connection !== 'connected') log.warn(fields, `connection ${s.connection}: ${s.connectionError}`);
      else log.info(fields, `connection ${s.connection}`);
    }
    if (s.message && s.message !== prev.message) {
      if (s.message.error) log.warn({ uri: s.uri }, s.message.text);
      else log.info({ uri: s.uri }, s.message.text);
    }
  });
}
