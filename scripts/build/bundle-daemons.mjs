/**
 * Bundles the daemons' executable into one file, dist/bin/virtd.js: a daemon starts in
 * the time Node takes to read one file, not in the time its module loader takes to find,
 * read and link two hundred (issue 15: start to sockets ready at libvirtd's pace).
 * What is loaded on demand stays out of that file: the native addons (node-gyp-build finds them under
 * native/), msgpackr (read only by the extension program and a re-exec). The source map
 * beside it lets journald's CODE_FILE and stack traces name the original sources.
 */
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lazyBuiltins } from './lazy-builtins.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = join(root, 'dist', 'bin');

await build({
  entryPoints: { virtd: join(root, 'src', 'bin', 'virtd.ts') },
  outdir,
  // What a daemon imports on demand (TLS, the helpers' duties, the units writer) goes in
  // chunks beside it, read only by the daemons that need them.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  // The entry's #! line (with the daemons' Node options) is kept first; bundled CommonJS
  // packages (pino, commander) call require, which an ES module must make itself.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  external: ['node-gyp-build', 'msgpackr'],
  plugins: [lazyBuiltins],
  logLevel: 'warning',
});
chmodSync(join(outdir, 'virtd.js'), 0o755);
