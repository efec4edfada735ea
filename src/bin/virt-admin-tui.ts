#!/usr/bin/env node
/** virt-admin-tui: virt-admin's verbs for scripts, and (without a verb) the live console. */
import { runCli } from '../ui/cli/cli-program.js';

const io = {
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
};

// The interactive console is issue 4; until it lands, say so plainly.
const launchConsole = async () => {
  io.stderr('error: the interactive console is not in this build yet; run a verb, e.g. `virt-admin-tui -c libvirtd:///session server-list` (see --help)\n');
  return 1;
};

runCli(process.argv.slice(2), io, launchConsole).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
