/**
 * The layers of docs/architecture.md, held in every import: a layer imports only
 * the layers below it. src/conf (virConf syntax, the daemons' keys and defaults,
 * libvirt's log filter and output syntax, TLS file defaults) is pure and shared by
 * the daemons and the console, which must never import src/daemons.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tools.js';

/** What each layer may import of ours (besides itself). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  rpc: [],
  conf: ['rpc'],
  daemons: ['rpc', 'conf'],
  'admin-client': ['rpc', 'conf'],
  tasks: ['rpc', 'conf', 'admin-client'],
  ui: ['rpc', 'conf', 'admin-client', 'tasks'],
  demo: ['rpc', 'conf', 'daemons', 'admin-client'],
  bin: ['rpc', 'conf', 'daemons', 'admin-client', 'tasks', 'ui', 'demo'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
    out.push({ file, target: m[2]!, typeOnly: m[1] !== undefined });
  }
  return out;
}

/** Leaves any layer may use: they import nothing of ours. */
const LEAVES = new Set(['package-root.ts']);

const SRC = join(REPO_ROOT, 'src');
/** The top folder under src, or the file itself for a file at the top (its import names it .js). */
const layerOf = (path: string) => relative(SRC, path).split('/')[0]!.replace(/\.js$/, '.ts');

test('every import in src stays within the layers below', () => {
  const broken: string[] = [];
  for (const file of sources(SRC)) {
    const from = layerOf(file);
    for (const imp of importsOf(file)) {
      if (!imp.target.startsWith('.')) continue;
      const to = layerOf(resolve(dirname(file), imp.target));
      if (to === from || LEAVES.has(to)) continue;
      if (!(ALLOWED[from] ?? []).includes(to)) broken.push(`${relative(REPO_ROOT, file)} (${from}) imports ${imp.target} (${to})`);
    }
  }
  assert.deepEqual(broken, []);
});

test("the console's views, components and keys read the store, never a socket or the admin client", () => {
  const broken: string[] = [];
  for (const part of ['views', 'components', 'keys']) {
    for (const file of sources(join(SRC, 'ui', part))) {
      for (const imp of importsOf(file)) {
        const net = imp.target === 'node:net' || imp.target === 'node:tls';
        const admin = !imp.typeOnly && imp.target.includes('admin-client');
        if (net || admin) broken.push(`${relative(REPO_ROOT, file)} imports ${imp.target}`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('the leaves import nothing of ours', () => {
  for (const leaf of LEAVES) assert.deepEqual(importsOf(join(SRC, leaf)).filter((i) => i.target.startsWith('.')), [], leaf);
});

test('the check itself sees a forbidden import', () => {
  const fake = join(SRC, 'admin-client', 'x.ts');
  assert.equal(layerOf(resolve(dirname(fake), '../daemons/config/index.js')), 'daemons');
  assert.equal((ALLOWED['admin-client'] ?? []).includes('daemons'), false);
  assert.deepEqual(
    importsOf(join(SRC, 'daemons', 'config', 'index.ts')).map((i) => layerOf(resolve(join(SRC, 'daemons', 'config'), i.target))),
    Array(8).fill('conf').fill('daemons', 7),
  );
});
