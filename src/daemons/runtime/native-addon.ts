/** Loads one of this package's N-API addons (native/, built by node-gyp at `npm install`). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function loadAddon<T>(name: 'peercred' | 'filelock' | 'notify' | 'fdpass'): T {
  // dist/src/daemons/runtime -> the package root is four levels up.
  return require(`../../../../native/build/Release/${name}.node`) as T;
}
