#!/usr/bin/env node
/** virt-admin-tui: virt-admin's verbs for scripts, and (without a verb) the live console. */
import { startDemo } from '../demo/demo-daemons.js';
import { type ConsoleLauncher, runCli } from '../ui/cli/cli-program.js';
import { versionLine } from './program-version.js';

// The console loads no native addon, not even msgpackr's optional decoder (it reads our
// extension program's few small messages as well in JavaScript). msgpackr is loaded on
// first use, after this line has run.
process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED = 'true';
// React's development build checks and times every render (a tenth of the console's CPU at
// 10,000 clients): the console runs the production build unless told otherwise.
process.env.NODE_ENV ??= 'production';

const io = {
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
};

const launchConsole: ConsoleLauncher = async (opts) => {
  // The console (ink, react) loads only when asked for, so scripted verbs start fast.
  const { runConsole } = await import('../ui/console.js');
  if (!opts.demo) return runConsole(opts);
  const demo = await startDemo();
  const stopDemo = () => void demo.stop();
  process.once('SIGTERM', stopDemo);
  try {
    return await runConsole({ ...opts, uri: demo.uri, discovery: { sessionDir: demo.runtimeDir } });
  } finally {
    process.off('SIGTERM', stopDemo);
    await demo.stop();
  }
};

runCli(process.argv.slice(2), io, launchConsole, versionLine('virt-admin-tui')).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
