/**
 * An esbuild plugin that moves three of the logging packages' top-level requires of Node
 * builtins to where they are used. pino's tools and thread-stream load worker_threads, and
 * thread-stream and sonic-boom load assert, as they are read; a daemon logs through its
 * own streams and never starts a transport worker or fails those asserts, yet paid about
 * 0.5 MiB of idle RSS for the two modules (issue 16: 44.27 -> 43.79 MiB, median of 3).
 * Each edit must match exactly once: a new version of a package that moved the line fails
 * the build here rather than bundling an unedited file. Lines are kept, so stack traces and
 * the source map still point at the package's own line numbers.
 */
import { readFile } from 'node:fs/promises';

const LAZY_ASSERT = ["const assert = require('assert')", "const assert = (...args) => require('assert')(...args)"];

/** Package file (under node_modules) -> [text as published, text bundled]. */
const EDITS = {
  'pino/lib/tools.js': [
    ["const { isMainThread } = require('worker_threads')", '// worker_threads is required below, where isMainThread is read'],
    ['if (!opts.sync && isMainThread) {', "if (!opts.sync && require('worker_threads').isMainThread) {"],
  ],
  'thread-stream/index.js': [
    ["const { Worker } = require('worker_threads')", '// worker_threads is required in createWorker, when a transport starts'],
    ['const worker = new Worker(toExecute, {', "const worker = new (require('worker_threads').Worker)(toExecute, {"],
    LAZY_ASSERT,
  ],
  'sonic-boom/index.js': [LAZY_ASSERT],
};

const occurrences = (text, part) => text.split(part).length - 1;

export const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/](pino[\\/]lib[\\/]tools|thread-stream[\\/]index|sonic-boom[\\/]index)\.js$/ }, async ({ path }) => {
      const file = Object.keys(EDITS).find((name) => path.replaceAll('\\', '/').endsWith(`/node_modules/${name}`));
      let text = await readFile(path, 'utf8');
      for (const [from, to] of EDITS[file]) {
        const n = occurrences(text, from);
        if (n !== 1) throw new Error(`lazy-builtins: expected "${from}" once in ${path}, found it ${n} times; update scripts/build/lazy-builtins.mjs for this version`);
        text = text.replace(from, () => to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};
