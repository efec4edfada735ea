/**
 * `npm run screenshots`: regenerates screenshots/*.png from the real console.
 * It starts `virt-admin-tui --demo` in a tmux pane of 100x30, walks through
 * the views and dialogs as an operator would, captures each screen with its
 * colours, renders it to HTML and photographs that with Debian's headless
 * chromium. Needs tmux, chromium and fonts-dejavu-core.
 *
 *   node dist/scripts/screenshots/take-screenshots.js [--out DIR]
 *
 * A screen whose line is cut at the right edge fails the run: at 100x30 nothing
 * may be truncated (the URI in the status line is shortened in the middle on
 * purpose and stays readable).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, TUI_BIN } from '../../test/helpers/tools.js';
import { shellQuote, TmuxSession } from '../../test/helpers/tmux.js';
import { ansiToHtmlPage } from './ansi-to-html.js';

const COLS = 100;
const ROWS = 30;
const CHROMIUM = '/usr/bin/chromium';
function outDir(argv: string[]): string {
  const i = argv.indexOf('--out');
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : join(REPO_ROOT, 'screenshots');
}

interface Shot {
  file: string;
  title: string;
  /** Keys to press (tmux names), then what the screen must show before the capture. */
  keys: string[];
  ready: RegExp;
}

const SHOTS: Shot[] = [
  { file: '1-host.png', title: 'Host: every daemon, live, with 10 minutes of saturation', keys: ['1'], ready: /libvirtd +session +● up[\s\S]*virtlogd +session +● up[\s\S]*clients \d+\/1024/ },
  { file: '2-servers.png', title: 'Servers: worker pools and client limits', keys: ['2'], ready: /workers min \d+[\s\S]*clients +[█░]+/ },
  { file: '3-clients.png', title: 'Clients: who is connected', keys: ['3'], ready: /\d+ of \d+ clients[\s\S]*\(\d+\) +\d+/ },
  { file: '4-client-detail.png', title: 'Clients: the detail pane', keys: ['j', 'Enter'], ready: /client \d+ of libvirtd[\s\S]*unix_process_id/ },
  { file: '5-disconnect.png', title: 'Clients: disconnect asks first', keys: ['Enter', 'd'], ready: /Disconnect client \d+ \(.*\)\? \[y\/n\]/ },
  { file: '6-worker-limits.png', title: 'Servers: changing worker limits', keys: ['n', '2', 'w'], ready: /worker limits of libvirtd: min=/ },
  { file: '7-logging.png', title: 'Logging: filters and outputs', keys: ['Escape', '4'], ready: /filters [\s\S]*outputs \S/ },
  { file: '8-help.png', title: 'Help: every key', keys: ['?'], ready: /any key closes this help/ },
  // Any key closes the help ('x' is bound to nothing; an Escape right before ':' would arrive as Alt-:).
  { file: '9-palette.png', title: "Palette: virt-admin's verbs and help", keys: ['x', ':', 'help srv-threadpool-set', 'Enter'], ready: /server-threadpool-set - set server workerpool parameters[\s\S]*OPTIONS/ },
  { file: '10-all-clients.png', title: 'All clients: every daemon, with the process behind each client', keys: ['x', '5'], ready: /all clients of \d+ daemons[\s\S]*virtqemud +virtqemud +\d+ +unix/ },
  { file: '11-batch-disconnect.png', title: 'All clients: a batch disconnect lists who would go, then asks', keys: ['/', 'daemon:virtqemud server:virtqemud', 'Enter', 'D'], ready: /Disconnect these \d+ clients \(filter "daemon:virtqemud server:virtqemud"\)\?/ },
];

function need(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install ${pkg}`);
}

async function main(): Promise<void> {
  need('/usr/bin/tmux', 'tmux');
  need(CHROMIUM, 'chromium');
  need('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', 'fonts-dejavu-core');
  const out = outDir(process.argv.slice(2));
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'screenshots-'));
  // CI stays out of the pane: under CI=true Ink draws nothing until exit.
  const env = Object.entries({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, TERM: 'xterm-256color', LANG: 'C.UTF-8' })
    .map(([k, v]) => `${k}=${v}`)
    .map(shellQuote)
    .join(' ');
  const pane = new TmuxSession(`env -i ${env} ${shellQuote(process.execPath)} ${shellQuote(TUI_BIN)} --demo`, { width: COLS, height: ROWS });
  try {
    await pane.waitFor(/\d+ of \d+ clients/, 'the demo console', 20000);
    for (const shot of SHOTS) {
      for (const key of shot.keys) {
        pane.send(key);
        // A key right behind an Escape would arrive with it as one Alt-key: let the Escape land first.
        if (key === 'Escape') await pane.waitFor((screen) => !/any key closes|Esc cancel|\[y\/n\]/.test(screen), 'the dialog closed', 10000);
      }
      await pane.waitFor(shot.ready, shot.title, 10000);
      // Identities and gauges arrive with the next poll: let one land, then capture.
      await new Promise((r) => setTimeout(r, 1200));
      await pane.waitFor(shot.ready, shot.title, 10000);
      const cut = pane.screen().split('\n').find((line) => line.trimEnd().endsWith('…'));
      if (cut !== undefined) throw new Error(`${shot.title}: a line is cut at ${COLS} columns:\n${cut}`);
      const html = join(work, shot.file.replace(/\.png$/, '.html'));
      writeFileSync(html, ansiToHtmlPage(pane.screen({ colours: true }), { cols: COLS, rows: ROWS, title: shot.title }));
      execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', `--window-size=${Math.ceil(COLS * 9.04) + 28},${ROWS * 19 + 24}`, `--screenshot=${join(out, shot.file)}`, `file://${html}`], {
        stdio: 'ignore',
        timeout: 60000,
      });
      console.log(`${join(out, shot.file)}  ${shot.title}`);
    }
    // Close the last dialog first (n: nobody is disconnected); a key right behind an Escape arrives as one Alt-key.
    pane.send('n');
    await pane.waitFor((screen) => !/any key closes|Esc cancel|\[y\/n\]/.test(screen), 'the last dialog closed', 10000);
    pane.send('q');
    await pane.waitFor(() => pane.format('#{pane_dead}') === '1', 'the console to quit', 10000);
  } finally {
    pane.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`screenshots: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
