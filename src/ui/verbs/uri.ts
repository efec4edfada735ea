import { adminOf, type Verb } from './verb.js';

export const uri: Verb<void> = {
  name: 'uri',
  aliases: [],
  group: 'virt-admin',
  summary: 'print the admin server URI',
  description: '',
  options: [],
  changesDaemon: () => false,
  prepare: () => undefined,
  async run(ctx) {
    const admin = adminOf(ctx);
    return { text: `${admin.uri}\n`, json: { uri: admin.uri, socket: admin.target.socketPath } };
  },
};
