/**
 * The live log view (engine: src/tasks/live-log): the shown daemon's records as
 * they happen, streamed by ours through the view's own filters, followed from
 * the file output of libvirt's, or from the capture file while a debug capture
 * covers the daemon. Started when the view opens, stopped when it closes, so a
 * console that is not looking asks nothing of the daemon. Keeps the last lines only.
 */
import type { StateCreator } from 'zustand/vanilla';
import { LiveLog, type LiveLogSource, type LogLine } from '../../tasks/index.js';
import type { Console } from './console-store.js';
import type { TaskLink } from './task-link.js';

/** Lines kept for the view: enough to scroll a screen back, bounded whatever the daemon logs. */
export const LIVE_LOG_KEEP = 2000;

export interface LiveLogState {
  key: string;
  source?: LiveLogSource;
  lines: LogLine[];
  /** The latest thing the follower said (a rotation, a skip). */
  note?: string;
  /** The view's own filters (ours only), as typed. */
  filters: string;
}

export interface LiveLogSlice {
  liveLog?: LiveLogState;
  liveLogFilters: string;
  startLiveLog(): Promise<void>;
  stopLiveLog(): Promise<void>;
  promptLiveLogFilters(): void;
  clearLiveLog(): void;
}

export const createLiveLogSlice =
  (link: TaskLink): StateCreator<Console, [], [], LiveLogSlice> =>
  (set, get) => {
    let running: LiveLog | undefined;
    let generation = 0;
    const patch = (gen: number, p: Partial<LiveLogState>) => {
      const cur = get().liveLog;
      if (gen === generation && cur) set({ liveLog: { ...cur, ...p } });
    };

    return {
      liveLogFilters: '',
      async startLiveLog() {
        await get().stopLiveLog();
        const sel = link.selected();
        if (!sel) return;
        const gen = ++generation;
        const filters = get().liveLogFilters;
        set({ liveLog: { key: sel.key, lines: [], filters } });
        const captureFile = get().capture?.files.find((f) => f.key === sel.key)?.path;
        try {
          const log = await LiveLog.start(sel.admin, link.host, { filters: filters.trim() || null, ...(captureFile ? { captureFile } : {}) }, {
            lines: (lines) => {
              const cur = get().liveLog;
              if (gen !== generation || !cur) return;
              patch(gen, { lines: [...cur.lines, ...lines].slice(-LIVE_LOG_KEEP) });
            },
            note: (note) => patch(gen, { note }),
          });
          if (gen !== generation) return void log.stop();
          running = log;
          patch(gen, { source: log.source });
        } catch (err) {
          patch(gen, { source: { kind: 'none', why: (err as Error).message } });
        }
      },
      async stopLiveLog() {
        generation++;
        const log = running;
        running = undefined;
        await log?.stop();
      },
      promptLiveLogFilters() {
        get().openInput('live log filters, ours only (e.g. 1:qemu 1:rpc; empty: the daemon\'s own level)', get().liveLogFilters, async (filters) => {
          set({ liveLogFilters: filters });
          await get().startLiveLog();
          const s = get().liveLog?.source;
          if (s?.kind === 'none') get().note(`live log: ${s.why}`);
        });
      },
      clearLiveLog() {
        const cur = get().liveLog;
        if (cur) set({ liveLog: { ...cur, lines: [] } });
      },
    };
  };
