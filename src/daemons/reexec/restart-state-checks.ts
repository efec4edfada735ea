/**
 * Shape checks for a restart state (restart-state.ts): every field the next
 * image uses, descriptors above all, is what it claims to be, so a damaged
 * file is refused as a whole instead of half taken over.
 */

export class StateShapeError extends Error {}

export function fail(why: string): never {
  throw new StateShapeError(why);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isFd = (v: unknown): v is number => isInt(v) && v > 2;

function array(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail(`${what} is not a list`);
  return v;
}

function fields(v: unknown, what: string, spec: Record<string, (x: unknown) => boolean>): Record<string, unknown> {
  if (!isObject(v)) fail(`${what} is not a record`);
  for (const [key, ok] of Object.entries(spec)) if (!ok(v[key])) fail(`${what}: '${key}' is missing or malformed`);
  return v;
}

const optional = (check: (x: unknown) => boolean) => (x: unknown) => x === undefined || x === null || check(x);

function checkClient(v: unknown, what: string, services: number): void {
  const c = fields(v, what, { id: isInt, fd: isFd, service: isInt, timestamp: isInt, readonly: isBool, authPending: isBool, hasIdentity: isBool, input: isBytes });
  if ((c.service as number) < 0 || (c.service as number) >= services) fail(`${what}: service ${String(c.service)} does not exist`);
  array(c.programs, `${what} programs`).forEach((p, i) => fields(p, `${what} program ${i}`, { prog: isInt, vers: isInt }));
}

export function checkServers(v: unknown): void {
  const seen = new Set<number>();
  const once = (fd: number, what: string) => {
    if (seen.has(fd)) fail(`${what}: descriptor ${fd} is named twice`);
    seen.add(fd);
  };
  array(v, 'servers').forEach((sv, i) => {
    const what = `server ${i}`;
    const s = fields(sv, what, { name: isString, nextClientId: isInt, maxClientRequests: isInt });
    fields(s.limits, `${what} limits`, { maxClients: isInt, maxAnonymousClients: isInt, maxQueuedClients: isInt });
    fields(s.pool, `${what} pool`, { minWorkers: isInt, maxWorkers: isInt, prioWorkers: isInt });
    const services = array(s.services, `${what} services`);
    services.forEach((x, j) => {
      const svc = fields(x, `${what} service ${j}`, { fd: isFd, path: optional(isString), readonly: isBool, auth: isInt, backlog: isInt, ownsPath: isBool, activation: (a) => a === 'self' || a === 'systemd' });
      once(svc.fd as number, `${what} service ${j}`);
    });
    array(s.clients, `${what} clients`).forEach((c, j) => {
      checkClient(c, `${what} client ${j}`, services.length);
      once((c as { fd: number }).fd, `${what} client ${j}`);
    });
    if (s.waiting !== undefined) {
      array(s.waiting, `${what} waiting`).forEach((w, j) => {
        const x = fields(w, `${what} waiting ${j}`, { fd: isFd, service: isInt });
        if ((x.service as number) < 0 || (x.service as number) >= services.length) fail(`${what} waiting ${j}: service ${String(x.service)} does not exist`);
        once(x.fd as number, `${what} waiting ${j}`);
      });
    }
  });
}

function checkLog(v: unknown, what: string): void {
  const l = fields(v, what, { path: isString, driver: isString, size: isInt, pipeFd: isFd, fileFd: isFd });
  fields(l.domain, `${what} domain`, { name: isString, uuid: (u) => isBytes(u) && u.length === 16 });
}

function checkLockspace(v: unknown, what: string): void {
  const ls = fields(v, what, { directory: isString });
  array(ls.resources, `${what} resources`).forEach((r, i) => {
    const res = fields(r, `${what} resource ${i}`, { name: isString, path: isString, fd: isFd, shared: isBool, autoCreated: isBool });
    array(res.owners, `${what} resource ${i} owners`).forEach((o) => isInt(o) || fail(`${what} resource ${i}: an owner is not a pid`));
  });
}

export function checkDuties(v: unknown): void {
  if (!isObject(v)) fail('duties is not a record');
  if (v.logs !== undefined) array(v.logs, 'logs').forEach((l, i) => checkLog(l, `log ${i}`));
  if (v.lockspaces !== undefined) array(v.lockspaces, 'lockspaces').forEach((l, i) => checkLockspace(l, `lockspace ${i}`));
}
