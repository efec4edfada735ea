/**
 * What the programs say they are: this package's version and the libvirt protocol level
 * they speak. Never libvirt's own version string: we are not libvirt. (Wire answers such as
 * CONNECT_GET_LIB_VERSION still report 9.0.0, which is what libvirt's clients expect.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { LIBVIRT_VERSION } from '../rpc/index.js';

export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** libvirt's integer version (major*1e6 + minor*1e3 + micro) as major.minor.micro. */
function dotted(v: number): string {
  return `${Math.floor(v / 1e6)}.${Math.floor(v / 1e3) % 1000}.${v % 1000}`;
}

/** e.g. `virtd 0.1.0 (libvirt protocol 9.0.0)`, or with a daemon `virtd 0.1.0 libvirtd (libvirt protocol 9.0.0)`. */
export function versionLine(program: string, daemon?: string): string {
  return `${program} ${PACKAGE_VERSION}${daemon ? ` ${daemon}` : ''} (libvirt protocol ${dotted(LIBVIRT_VERSION)})\n`;
}
