/**
 * What the operator's tasks (capture, live log, drift, certificates) need from
 * the console: the host the daemons live on, where capture journals go, and the
 * daemon the views show (its admin client and its key, the admin socket).
 */
import type { AdminClient, Host } from '../../admin-client/index.js';

export interface TaskLink {
  host: Host;
  journalDir: string;
  selected(): { key: string; admin: AdminClient } | undefined;
}
