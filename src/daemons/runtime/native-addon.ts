/** Loads one of this package's N-API addons (native/, built by node-gyp at `npm install`). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type AddonName = 'peercred' | 'filelock' | 'notify' | 'fdpass' | 'reexec' | 'sasl';

export function loadAddon<T>(name: AddonName): T {
  // dist/src/daemons/runtime -> the package root is four levels up.
  return require(`../../../../native/build/Release/${name}.node`) as T;
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
