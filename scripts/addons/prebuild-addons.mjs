#!/usr/bin/env node
/**
 * Builds every addon in native/binding.gyp for this platform and keeps the result as
 * its prebuild (prebuildify's layout and names), so that the packed tarball installs
 * without a compiler. Runs before `npm pack` (prepack). The addons use only N-API, so
 * one build serves every Node version from 20 on.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addonDir, addonTargets, NATIVE_DIR, prebuildPath } from './addon-layout.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    console.error(`prebuild: ${cmd} ${args.join(' ')} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}`);
    process.exit(1);
  }
}

// Start clean: a target removed from binding.gyp must not leave its old prebuild in the package.
rmSync(join(NATIVE_DIR, 'addons'), { recursive: true, force: true });
run('node-gyp', ['rebuild', '--release', '--directory', NATIVE_DIR]);
for (const name of addonTargets()) {
  const built = join(addonDir(name), 'build', 'Release', `${name}.node`);
  const dest = prebuildPath(name);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(built, dest);
  run('strip', ['--strip-unneeded', dest]);
  console.log(`prebuild: ${dest.slice(NATIVE_DIR.length + 1)}`);
}
