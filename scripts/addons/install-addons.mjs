#!/usr/bin/env node
/**
 * The package's install step: use the prebuilt addons when every one of them loads on
 * this machine (no compiler needed); otherwise build them all from source with node-gyp
 * (needs g++, make and python3). `--build-from-source` or npm_config_build_from_source
 * forces the build.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { addonDir, addonTargets, NATIVE_DIR } from './addon-layout.mjs';

const require = createRequire(import.meta.url);
const nodeGypBuild = require('node-gyp-build');

function loads(name) {
  try {
    nodeGypBuild(addonDir(name));
    return true;
  } catch {
    return false;
  }
}

const forced = process.argv.includes('--build-from-source') || process.env.npm_config_build_from_source === 'true';
const missing = forced ? addonTargets() : addonTargets().filter((name) => !loads(name));
if (missing.length === 0) {
  console.log(`native addons: prebuilt for ${process.platform}-${process.arch}, nothing to build`);
  process.exit(0);
}
console.log(`native addons: building from source (${forced ? 'asked to' : `no prebuilt ${missing.join(', ')} for ${process.platform}-${process.arch}`})`);
// npm puts its own node-gyp on PATH for install scripts.
const build = spawnSync('node-gyp', ['rebuild', '--directory', NATIVE_DIR], { stdio: 'inherit' });
if (build.error) {
  console.error(`native addons: cannot run node-gyp (${build.error.message}); it comes with npm, run this through npm install`);
  process.exit(1);
}
process.exit(build.status ?? 1);
