import type { Verb } from './verb.js';

export const uri: Verb = {
  name: 'uri',
  aliases: [],
  summary: 'print the URI of the connection',
  args: [],
  changesDaemon: false,
  async run({ admin }) {
    return { text: `${admin.uri}\n`, json: { uri: admin.uri, socket: admin.target.socketPath } };
  },
};
