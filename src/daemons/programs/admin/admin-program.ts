/** The ADMIN program (0x06900690 v1) of a daemon: all 19 procedures, served on its `admin` server. */
import { ErrorDomain, Program, PROGRAM_VERSION } from '../../../rpc/index.js';
import { type Daemon, Program as RuntimeProgram } from '../../runtime/index.js';
import { clientProcedures } from './admin-clients.js';
import { daemonProcedures } from './admin-daemon.js';
import { serverProcedures } from './admin-servers.js';

export function createAdminProgram(daemon: Daemon): RuntimeProgram {
  return new RuntimeProgram(Program.Admin, PROGRAM_VERSION, ErrorDomain.Admin, [
    ...daemonProcedures(daemon),
    ...serverProcedures(daemon),
    ...clientProcedures(daemon),
  ]);
}
