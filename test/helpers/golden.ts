/** Reads the real captures of libvirt 9.0 in test/fixtures/golden (see its README for their provenance). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './tools.js';

export const GOLDEN_DIR = join(REPO_ROOT, 'test', 'fixtures', 'golden');

export interface GoldenFrame {
  dir: 'C2S' | 'S2C';
  bytes: Buffer;
}

export interface Golden {
  name: string;
  comments: string[];
  /** Frames and the close/error markers in capture order. */
  events: ({ kind: 'frame' } & GoldenFrame | { kind: 'mark'; text: string })[];
  frames: GoldenFrame[];
  stdout?: string;
  stderr?: string;
}

export function loadGolden(relPath: string): Golden {
  const base = join(GOLDEN_DIR, relPath.replace(/\.hex$/, ''));
  const comments: string[] = [];
  const events: Golden['events'] = [];
  for (const line of readFileSync(`${base}.hex`, 'utf8').split('\n')) {
    if (line.startsWith('#')) comments.push(line.slice(1).trim());
    else if (/^(C2S|S2C) [0-9a-f]+$/.test(line)) {
      const [dir, hex] = line.split(' ') as ['C2S' | 'S2C', string];
      events.push({ kind: 'frame', dir, bytes: Buffer.from(hex, 'hex') });
    } else if (line.trim()) events.push({ kind: 'mark', text: line.trim() });
  }
  const read = (ext: string) => (existsSync(`${base}.${ext}`) ? readFileSync(`${base}.${ext}`, 'utf8') : undefined);
  return {
    name: relPath,
    comments,
    events,
    frames: events.filter((e): e is { kind: 'frame' } & GoldenFrame => e.kind === 'frame'),
    stdout: read('stdout'),
    stderr: read('stderr'),
  };
}
