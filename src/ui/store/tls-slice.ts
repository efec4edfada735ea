/**
 * The certificate panel (engine: src/tasks/certificates): the shown daemon's TLS
 * files and what they hold, read when the panel shows; `T` reloads them
 * (server-update-tls) and proves with a fresh handshake which certificate a new
 * client gets.
 */
import type { StateCreator } from 'zustand/vanilla';
import { reloadAndCheck, type ReloadResult, type TlsReport, tlsReport } from '../../tasks/index.js';
import type { Console } from './console-store.js';
import type { TaskLink } from './task-link.js';

export interface TlsState {
  report?: TlsReport;
  error?: string;
  /** The last reload's handshake check. */
  reload?: ReloadResult[];
  at: number;
}

export interface TlsSlice {
  tls: Record<string, TlsState>;
  refreshTls(): Promise<void>;
  /** Reloads and checks; resolves true when the daemon has TLS listeners to check. */
  reloadTlsChecked(): Promise<boolean>;
}

export const createTlsSlice =
  (link: TaskLink, now: () => number): StateCreator<Console, [], [], TlsSlice> =>
  (set, get) => {
    const put = (key: string, s: TlsState) => set({ tls: { ...get().tls, [key]: s } });
    return {
      tls: {},
      async refreshTls() {
        const sel = link.selected();
        if (!sel) return;
        const before = get().tls[sel.key];
        try {
          put(sel.key, { ...(before?.reload ? { reload: before.reload } : {}), report: await tlsReport(sel.admin, link.host, now()), at: now() });
        } catch (err) {
          put(sel.key, { error: (err as Error).message, at: now() });
        }
      },
      async reloadTlsChecked() {
        const sel = link.selected();
        if (!sel) return false;
        if (get().readonly) {
          get().note('reload TLS: disabled, the console is read-only (--readonly)');
          return true;
        }
        // Nothing to check (no TLS listener, or a daemon whose files cannot be found): the caller reloads plainly.
        const first = await tlsReport(sel.admin, link.host, now()).catch(() => undefined);
        if (!first || first.listeners.length === 0) return false;
        try {
          const { report, results } = await reloadAndCheck(sel.admin, link.host, now);
          put(sel.key, { report, reload: results, at: now() });
          const bad = results.filter((r) => !r.servesFile);
          if (bad.length) get().note(`reload TLS: ${bad.map((r) => (r.refused ? `${r.server} refused: ${r.refused}` : `${r.server} does not serve the certificate in the file`)).join('; ')}`);
          else get().say(`reload TLS: ${results.map((r) => `${r.server} serves serial ${r.served!.serial}`).join(', ')}`);
        } catch (err) {
          get().note(`reload TLS: ${(err as Error).message}`);
        }
        return true;
      },
    };
  };
