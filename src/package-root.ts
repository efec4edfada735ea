/**
 * The installed package's root (package.json, native/, dist/), found from
 * where this code runs: the same modules run unbundled (dist/src/…, as the
 * tests import them) and bundled into one file (dist/bin/virtd.js, as the
 * daemons ship), so no module may count `..` to the root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'virt-admin-tui';
let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package around ${fileURLToPath(import.meta.url)}`);
  }
}
