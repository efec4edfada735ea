/**
 * Run as a daemon's user: prints the extension program's daemon state (pid,
 * open logs or held leases) as JSON, `null` for a daemon without the program.
 *     node daemon-state-probe.js ADMIN_URI
 */
import { AdminClient } from '../../src/admin-client/index.js';

const admin = await AdminClient.connect(process.argv[2]!);
const state = await admin.daemonState();
await admin.close();
process.stdout.write(JSON.stringify(state ?? null) + '\n');
