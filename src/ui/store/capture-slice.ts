/**
 * The console's timed debug capture (engine: src/tasks/capture). `C` asks, one
 * prompt at a time, which daemons (the attached one, several, all running on the
 * host), which preset or filters (checked, then shown as the daemons will report
 * them), how long, where; a confirmation names it all before anything is sent.
 * While it runs a countdown stays on screen; `X` ends it early. It ends and
 * restores when time is up, when the console quits (q, Ctrl-C, SIGTERM), and a
 * capture left by a console that died is offered for restore at start.
 */
import type { StateCreator } from 'zustand/vanilla';
import {
  captureFilters,
  type CaptureEnd,
  chooseTargets,
  DebugCapture,
  describeOutcome,
  formatCountdown,
  label,
  parseDuration,
  PRESETS,
  type RestoreReport,
  restoreJournal,
  unrestoredJournals,
} from '../../tasks/index.js';
import type { Console } from './console-store.js';
import type { TaskLink } from './task-link.js';

export interface RunningCapture {
  id: string;
  endsAt: number;
  filters: string;
  preset?: string;
  dir: string;
  journalPath: string;
  /** Each daemon's file, by its admin socket. */
  files: { key: string; label: string; path: string }[];
}

export interface CaptureSlice {
  capture?: RunningCapture;
  /** Asks for the capture's daemons, filters, duration and directory, then confirms. */
  promptCapture(): Promise<void>;
  startCapture(plan: { daemons: string; filters: string; duration: string; dir?: string }): Promise<void>;
  /** Ends the running capture now and restores (idempotent); resolves, when one ran, with what became of each daemon. */
  stopCapture(end: CaptureEnd): Promise<string[] | undefined>;
  /** At start: captures left by a console that died, offered for restore. */
  offerLeftovers(): Promise<void>;
}

/** The admin socket in an admin URI (`...?socket=PATH`), the key the views know a daemon by. */
const socketOf = (uri: string) => new URLSearchParams(uri.slice(uri.indexOf('?') + 1)).get('socket') ?? uri;

export function reportLines(r: RestoreReport): string[] {
  return r.outcomes.map(describeOutcome);
}

export const createCaptureSlice =
  (link: TaskLink): StateCreator<Console, [], [], CaptureSlice> =>
  (set, get) => {
    let engine: DebugCapture | undefined;

    const ended = (r: RestoreReport & { end: CaptureEnd }) => {
      engine = undefined;
      set({ capture: undefined });
      const why = { time: 'time is up', quit: 'the console quits', signal: 'the console was told to stop', operator: 'ended early' }[r.end];
      const head = `Debug capture ended (${why}): ${r.complete ? 'every daemon has its settings back' : 'NOT every daemon could be put back; the journal stays'}`;
      get().openText('Debug capture ended', [head, ...reportLines(r)].join('\n'));
    };

    const askDuration = (daemons: string, filters: string) =>
      get().openInput('for how long (e.g. 30s, 10m, 1h)', '10m', async (duration) => {
        try {
          parseDuration(duration);
        } catch (err) {
          return get().note((err as Error).message);
        }
        get().openInput('into which directory (empty: under your state directory)', '', async (dir) => {
          void get().startCapture({ daemons, filters, duration, ...(dir.trim() ? { dir: dir.trim() } : {}) });
        });
      });

    return {
      async promptCapture() {
        if (engine) return get().note(`a capture is running (${formatCountdown(engine.endsAt - Date.now())} left): X ends it`);
        // Which daemons run now, not at the last look.
        await get().discover();
        const running = get().daemons.filter((d) => d.running).map((d) => `${d.name}/${d.mode}`);
        // The daemon shown, in its mode (the same name may run in both); another user's session daemon by its URI.
        const t = get().target;
        const here = t.uid !== undefined ? t.uri : t.daemonName ? (t.mode ? `${t.daemonName}/${t.mode}` : t.daemonName) : 'all';
        get().openInput(`capture which daemons (all, or names; running: ${running.join(', ') || 'none found'})`, here, async (daemons) => {
          get().openInput(`preset (${PRESETS.map((p) => p.name).join(', ')}) or filters (e.g. 1:qemu 3:*)`, 'general', async (choice) => {
            const asked = PRESETS.some((p) => p.name === choice.trim()) ? { preset: choice.trim() } : { filters: choice };
            try {
              captureFilters(asked);
            } catch (err) {
              return get().note((err as Error).message);
            }
            askDuration(daemons, choice);
          });
        });
      },

      async startCapture(plan) {
        if (get().readonly) return get().note('debug capture: disabled, the console is read-only (--readonly)');
        const asked = PRESETS.some((p) => p.name === plan.filters.trim()) ? { preset: plan.filters.trim() } : { filters: plan.filters };
        let shown: ReturnType<typeof captureFilters>;
        let targets;
        let durationMs: number;
        try {
          shown = captureFilters(asked);
          durationMs = parseDuration(plan.duration);
          targets = chooseTargets(plan.daemons, plan.daemons.includes(':') ? [] : get().daemons);
        } catch (err) {
          return get().note((err as Error).message);
        }
        const what = `${shown.preset ? `preset ${shown.preset}: ` : ''}${shown.filters}`;
        get().confirm(`Capture debug logs (${what}) of ${targets.map(label).join(', ')} for ${formatCountdown(durationMs)}?`, async () => {
          try {
            engine = await DebugCapture.start({ host: link.host, targets, ...asked, durationMs, journalDir: link.journalDir, ...(plan.dir ? { dir: plan.dir } : {}) });
          } catch (err) {
            return get().note(`debug capture: ${(err as Error).message}`);
          }
          const j = engine.journal;
          set({
            capture: {
              id: j.id,
              endsAt: j.endsAt,
              filters: j.filters,
              ...(j.preset ? { preset: j.preset } : {}),
              dir: j.dir,
              journalPath: engine.journalPath,
              files: engine.files.map((f) => ({ key: socketOf(f.target.adminUri), label: label(f.target), path: f.path })),
            },
          });
          get().say(`debug capture started: ${targets.map(label).join(', ')} into ${j.dir}`);
          void engine.finished.then(ended);
        });
      },

      async stopCapture(end) {
        if (!engine) return undefined;
        const r = await engine.stop(end);
        return [r.complete ? 'debug capture ended; every daemon has its settings back:' : 'debug capture ended; NOT every daemon could be put back (the journal stays):', ...reportLines(r)];
      },

      async offerLeftovers() {
        const { stale, unreadable } = await unrestoredJournals(link.journalDir);
        if (unreadable.length) get().note(unreadable.map((u) => `cannot read the capture journal ${u.path}: ${u.error}`).join('; '));
        const here = stale.filter((s) => s.journal.host === link.host.name);
        if (here.length === 0) return;
        const who = here.flatMap((s) => s.journal.daemons.map(label)).join(', ');
        const when = new Date(Math.min(...here.map((s) => s.journal.startedAt))).toLocaleString();
        get().confirm(`A debug capture begun ${when} by a console that is gone left ${who} logging at debug. Restore their filters and outputs now?`, async () => {
          const lines: string[] = [];
          for (const s of here) lines.push(...reportLines(await restoreJournal(s, link.host, link.journalDir)));
          get().openText('Left-over debug capture restored', lines.join('\n'));
        });
      },
    };
  };
