/**
 * The bench's results: each figure ours beside libvirtd's (or Node's floor)
 * from the same run, with its target and whether it was met, printed as a
 * table and kept as JSON under bench/results/ so a README section can be
 * regenerated from a run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/tools.js';

export interface Figure {
  /** What is measured, e.g. "admin round trip, one at a time (median)". */
  measure: string;
  unit: string;
  virtd: number;
  /** libvirtd 9.0's figure from the same run, where libvirt has one. */
  libvirtd?: number;
  /** Node's own floor for the same measure (a bare Node program), where it applies. */
  nodeFloor?: number;
  /** The target as written in issue 15/16, e.g. "<= 1.3x the Node floor". */
  target: string;
  met: boolean;
}

/** A figure with the digits that matter for its size, and its unit; blank when absent. */
export const formatFigure = (v: number | undefined, unit: string) =>
  v === undefined ? '' : `${Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`.trim();
const fmt = formatFigure;

export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n${title}\n`);
  const head = `${'measure'.padEnd(52)} ${'virtd'.padStart(12)} ${'libvirtd'.padStart(12)} ${'Node floor'.padStart(12)}  target`;
  console.log(head);
  console.log('-'.repeat(head.length + 30));
  for (const f of figures) {
    console.log(
      `${f.measure.padEnd(52)} ${fmt(f.virtd, f.unit).padStart(12)} ${fmt(f.libvirtd, f.unit).padStart(12)} ${fmt(f.nodeFloor, f.unit).padStart(12)}  ${f.target}: ${f.met ? 'met' : 'NOT met'}`,
    );
  }
}

/**
 * The run's record, bench/results/<ISO time of its start>.json, written again after each part
 * so a part that fails later loses nothing measured before it. Returns the path.
 */
export function runRecorder(): (parts: Record<string, unknown>) => string {
  const dir = join(REPO_ROOT, 'bench', 'results');
  const at = new Date().toISOString();
  const path = join(dir, `${at.replace(/[:.]/g, '-')}.json`);
  return (parts) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, `${JSON.stringify({ at, node: process.version, ...parts }, null, 2)}\n`);
    return path;
  };
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
