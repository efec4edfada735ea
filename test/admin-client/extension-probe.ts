/**
 * Run as a daemon's user: asks for the extension program's services and client
 * events, opens and closes one client of the main socket, and prints JSON of
 * what it saw.   node extension-probe.js ADMIN_URI MAIN_SOCKET
 */
import { connect } from 'node:net';
import { AdminClient, type ClientEvent } from '../../src/admin-client/index.js';

const [uri, mainSocket] = process.argv.slice(2) as [string, string];
const admin = await AdminClient.connect(uri);
const events: ClientEvent[] = [];
const services = await admin.listServices();
const subscribed = await admin.subscribeClientEvents((e) => events.push(e));
const s = connect(mainSocket);
await new Promise((r) => s.once('connect', r));
await new Promise((r) => setTimeout(r, 200));
s.destroy();
await new Promise((r) => setTimeout(r, 200));
await admin.close();
process.stdout.write(JSON.stringify({ services: services ?? null, subscribed, events }) + '\n');
