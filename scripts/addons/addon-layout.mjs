/**
 * Where each native addon lives, for node-gyp-build. node-gyp-build loads one addon
 * per directory (its build/Release, else its prebuilds/<platform>-<arch>), while
 * native/binding.gyp builds every addon; so binding.gyp's target_defaults put each
 * target's build in native/addons/<target>/build/Release, and its prebuild goes to
 * native/addons/<target>/prebuilds/<platform>-<arch>/. A target added to binding.gyp
 * is built, prebuilt, packed and found with no other change.
 *
 * Plain JavaScript: it runs at install and pack time, before any TypeScript is built.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NATIVE_DIR = join(PACKAGE_ROOT, 'native');

/** The target names in native/binding.gyp (JSON with gyp's `#` comments allowed). */
export function addonTargets() {
  const text = readFileSync(join(NATIVE_DIR, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '');
  return JSON.parse(text).targets.map((t) => t.target_name);
}

export function addonDir(name) {
  return join(NATIVE_DIR, 'addons', name);
}

/** prebuildify's naming: N-API (any Node >= the one it was built for), tagged with the C library. */
export function prebuildPath(name, platform = process.platform, arch = process.arch, libc = 'glibc') {
  return join(addonDir(name), 'prebuilds', `${platform}-${arch}`, `${name}.napi.${libc}.node`);
}
