/** Turning what a daemon sends into the admin client's results: typed params, client refs, events. */
import { type AdminClientRef, BODY_OFFSET, type ClientEvent, Extension, EXTENSION_PROGRAM, type LogRecordBatch, type SettingsEvent, type TypedParam, XdrReader } from '../rpc/index.js';
import { type ClientSummary, transportName } from './admin-types.js';

export function paramValue(params: TypedParam[], field: string): number {
  const p = params.find((x) => x.field === field);
  return p && typeof p.value === 'number' ? p.value : 0;
}

export function summary(ref: AdminClientRef): ClientSummary {
  return { server: ref.srv.name, id: Number(ref.id), connectedAt: Number(ref.timestamp), transport: transportName(ref.transport) };
}

/** libvirt's answer to a program it does not serve. */
export function isMissingProgram(err: unknown): boolean {
  return err instanceof Error && /Cannot find program/.test(err.message);
}

export interface EventListeners {
  client: Set<(event: ClientEvent) => void>;
  settings: Set<(event: SettingsEvent) => void>;
  log: Set<(batch: LogRecordBatch) => void>;
}

/** An unasked frame from the daemon: our extension program's events, to their listeners. */
export function deliverEvent(prog: number, proc: number, frame: Buffer, listeners: EventListeners): void {
  if (prog !== EXTENSION_PROGRAM) return;
  try {
    if (proc === Extension.clientEvent.proc) {
      const event = Extension.clientEvent.args.decode(new XdrReader(frame, BODY_OFFSET));
      for (const l of listeners.client) l(event);
    } else if (proc === Extension.settingsEvent.proc) {
      const event = Extension.settingsEvent.args.decode(new XdrReader(frame, BODY_OFFSET));
      for (const l of listeners.settings) l(event);
    } else if (proc === Extension.logRecords.proc) {
      const batch = Extension.logRecords.args.decode(new XdrReader(frame, BODY_OFFSET));
      for (const l of listeners.log) l(batch);
    }
  } catch {
    // an event we cannot read is dropped; the next poll catches up
  }
}
