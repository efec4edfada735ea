/**
 * Prints what our daemon reports of itself through the extension program
 * (pid, start, auto-shutdown timeout) as JSON: run as the daemon's user, since
 * a session daemon's admin socket admits no other uid. libvirt has no call
 * that reads the timeout; this is how a test sees that a refused value never
 * reached the daemon.
 *
 *   node probe-daemon-process.js ADMIN_URI
 */
import { AdminClient } from '../../src/admin-client/index.js';

const admin = await AdminClient.connect(process.argv[2]);
process.stdout.write(JSON.stringify((await admin.daemonProcess()) ?? null) + '\n');
await admin.close();
