import { formatVersion } from '../../admin-client/index.js';
import { LIBVIRT_VERSION } from '../../rpc/index.js';
import { adminOf, type Verb } from './verb.js';

export const version: Verb<void> = {
  name: 'version',
  aliases: [],
  group: 'virt-admin',
  summary: 'show version',
  description: 'Display the system and also the daemon version information.',
  options: [],
  changesDaemon: () => false,
  prepare: () => undefined,
  async run(ctx) {
    const daemon = formatVersion(await adminOf(ctx).getLibVersion());
    // We speak libvirt 9.0.0's admin protocol; the first two lines say so as virt-admin's do.
    const lib = formatVersion(LIBVIRT_VERSION);
    return {
      text: `Compiled against library: libvirt ${lib}\nUsing library: libvirt ${lib}\nRunning against daemon: ${daemon}\n`,
      json: { protocol: lib, daemon },
    };
  },
};
