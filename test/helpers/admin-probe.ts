/**
 * Run as a daemon's user (a session daemon admits no other uid): calls the admin
 * client's methods named on the command line, with no arguments, one after the
 * other, and prints their results as one JSON object (undefined as null, errors as
 * {"error": message}).   node admin-probe.js ADMIN_URI METHOD...
 */
import { AdminClient } from '../../src/admin-client/index.js';

const [uri, ...methods] = process.argv.slice(2) as [string, ...string[]];
const admin = await AdminClient.connect(uri);
const out: Record<string, unknown> = {};
for (const m of methods) {
  try {
    out[m] = (await (admin as unknown as Record<string, () => Promise<unknown>>)[m]!()) ?? null;
  } catch (err) {
    out[m] = { error: (err as Error).message };
  }
}
await admin.close();
process.stdout.write(JSON.stringify(out) + '\n');
