import { formatVersion } from '../../admin-client/index.js';
import { LIBVIRT_VERSION } from '../../rpc/index.js';
import type { Verb } from './verb.js';

export const version: Verb = {
  name: 'version',
  aliases: [],
  summary: 'show the protocol and daemon versions',
  args: [],
  changesDaemon: false,
  async run({ admin }) {
    const daemon = formatVersion(await admin.getLibVersion());
    // We speak libvirt 9.0.0's admin protocol; the first two lines say so as virt-admin's do.
    const lib = formatVersion(LIBVIRT_VERSION);
    return {
      text: `Compiled against library: libvirt ${lib}\nUsing library: libvirt ${lib}\nRunning against daemon: ${daemon}\n`,
      json: { protocol: lib, daemon },
    };
  },
};
