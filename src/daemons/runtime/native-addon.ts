/**
 * Loads one of this package's N-API addons (native/) through node-gyp-build: the
 * addon built from source in a checkout (native/addons/<name>/build/Release), else
 * the one prebuilt for this platform inside the installed package
 * (native/addons/<name>/prebuilds/<platform>-<arch>/). Only the daemons load addons;
 * the console never does.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';

const require = createRequire(import.meta.url);

type AddonName = 'peercred' | 'filelock' | 'notify' | 'fdpass' | 'dgram' | 'reexec' | 'sasl';


export function loadAddon<T>(name: AddonName): T {
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return nodeGypBuild(join(packageRoot(), 'native', 'addons', name)) as T;
  } catch (err) {
    throw new Error(
      `the native addon '${name}' is neither prebuilt for ${process.platform}-${process.arch} nor built here; ` +
        `build it with \`npm rebuild virt-admin-tui --foreground-scripts --allow-scripts=virt-admin-tui\` ` +
        `(needs g++, make and python3)`,
      { cause: err },
    );
  }
}

/** The addon, loaded on first use: start-up pays only for what the daemon kind needs. */
export function lazyAddon<T extends object>(name: AddonName): T {
  let loaded: T | undefined;
  return new Proxy({} as T, {
    get: (_t, prop) => {
      loaded ??= loadAddon<T>(name);
      return (loaded as Record<string | symbol, unknown>)[prop];
    },
  });
}
