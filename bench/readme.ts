/**
 * `npm run bench:readme [-- bench/results/RUN.json]`: rewrites the README's figures from a
 * recorded run (the newest when none is named), between its `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->` markers, so the figures the README states are always one run's,
 * as the bench printed them, with their targets and verdicts.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostFigures } from './console-host.js';
import type { Timings } from './console-keys.js';
import { type Figure, formatFigure } from './figures.js';
import { REPO_ROOT } from '../test/helpers/tools.js';

interface Run {
  at: string;
  node: string;
  daemons?: { figures: Figure[] };
  console?: Record<string, Timings[]>;
  host?: HostFigures;
}

/** Figures that speak to robustness (issue 16) go to the reliability section, the rest to performance. */
const RELIABILITY = /connects|RSS after|idle RSS/;

function figureTable(figures: Figure[]): string {
  const rows = figures.map(
    (f) => `| ${f.measure} | ${formatFigure(f.virtd, f.unit)} | ${formatFigure(f.libvirtd, f.unit)} | ${formatFigure(f.nodeFloor, f.unit)} | ${f.target} | ${f.met ? 'met' : '**not met**'} |`,
  );
  return ['| measure | virtd | libvirtd 9.0 | Node floor | target | |', '|---|---:|---:|---:|---|---|', ...rows].join('\n');
}

/** The console's targets (issues 12 and 15): a key's frame at p95 within 16 ms; a disconnect on screen within 100 ms where the daemon pushes it. */
function timingVerdict(t: Timings, daemon: string): string {
  if (!t.what.startsWith('a disconnect')) return `p95 <= 16 ms: ${t.p95Ms <= 16 ? 'met' : '**not met**'}`;
  return daemon.startsWith('libvirtd') ? 'reference (polled)' : `median <= 100 ms: ${t.medianMs <= 100 ? 'met' : '**not met**'}`;
}

function timingsTable(byDaemon: Record<string, Timings[]>): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows = Object.entries(byDaemon).flatMap(([daemon, ts]) =>
    ts.map((t) => `| ${t.what} | ${daemon} | ${t.samples} | ${ms(t.medianMs)} | ${ms(t.p95Ms)} | ${ms(t.maxMs)} | ${timingVerdict(t, daemon)} |`),
  );
  return ['| measure | daemon | samples | median | p95 | max | target |', '|---|---|---:|---:|---:|---:|---|', ...rows].join('\n');
}

function sections(run: Run): Record<string, string> {
  const when = `One run of \`npm run bench\`, ${run.at.slice(0, 16).replace('T', ' ')} UTC, Node ${run.node}, recorded in bench/results/.`;
  const out: Record<string, string> = {};
  if (run.daemons) {
    out.performance = `${when}\n\n${figureTable(run.daemons.figures.filter((f) => !RELIABILITY.test(f.measure)))}`;
    out.reliability = `${when}\n\n${figureTable(run.daemons.figures.filter((f) => RELIABILITY.test(f.measure)))}`;
  }
  if (run.console) out.console = `${when}\n\n${timingsTable(run.console)}`;
  if (run.host) {
    const frames = (c: { framesPerSecond?: number }) => (c.framesPerSecond === undefined ? '' : `, ${c.framesPerSecond.toFixed(1)} frames/s`);
    const cpu = run.host.idleCpu.map((c) => `| idle CPU on ${c.view} | ${c.percentOfOneCore.toFixed(2)}% of one core over ${c.seconds} s${frames(c)} | < 5%: ${c.percentOfOneCore < 5 ? 'met' : '**not met**'} |`);
    out.host = `${when}\n\n${timingsTable({ 'whole host': run.host.keys })}\n\n| measure | figure | target |\n|---|---|---|\n${cpu.join('\n')}`;
  }
  return out;
}

function newestRun(): string {
  const dir = join(REPO_ROOT, 'bench', 'results');
  const runs = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (!runs.length) throw new Error(`no recorded run in ${dir}: run \`npm run bench\` first`);
  return join(dir, runs.at(-1)!);
}

function main(): void {
  const path = process.argv[2] ?? newestRun();
  const run = JSON.parse(readFileSync(path, 'utf8')) as Run;
  const readmePath = join(REPO_ROOT, 'README.md');
  let readme = readFileSync(readmePath, 'utf8');
  for (const [name, text] of Object.entries(sections(run))) {
    const start = `<!-- bench:${name} -->`;
    const end = `<!-- /bench:${name} -->`;
    const [a, b] = [readme.indexOf(start), readme.indexOf(end)];
    if (a < 0 || b < a) {
      console.log(`README.md has no ${start} ... ${end} block: ${name} left out`);
      continue;
    }
    readme = `${readme.slice(0, a + start.length)}\n${text}\n${readme.slice(b)}`;
    console.log(`README.md: ${name} from ${path}`);
  }
  writeFileSync(readmePath, readme);
}

main();
