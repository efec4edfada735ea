/**
 * VirError: the one error that crosses the wire (wp §6), and the numeric
 * tables it needs (wp §6.2). Each module picks its domain once with
 * `errorsFrom(domain)` and builds errors whose message, str1 and str2 are
 * composed exactly as libvirt composes them (wp §6.1).
 */

export const ErrorLevel = { None: 0, Warning: 1, Error: 2 } as const;

export const ErrorDomain = {
  None: 0,
  Qemu: 10,
  Lxc: 17,
  Remote: 13,
  Rpc: 7,
  Storage: 18,
  Network: 19,
  Nodedev: 22,
  Interface: 26,
  Secret: 30,
  Nwfilter: 33,
  Locking: 42,
  Uri: 45,
  Auth: 46,
  Lockspace: 51,
  Identity: 53,
  Access: 55,
  Systemd: 56,
  Polkit: 60,
  Thread: 61,
  Admin: 62,
  Logging: 63,
} as const;
export type ErrorDomain = (typeof ErrorDomain)[keyof typeof ErrorDomain];

export const ErrorCode = {
  Ok: 0,
  InternalError: 1,
  NoMemory: 2,
  NoSupport: 3,
  NoConnect: 5,
  InvalidConn: 6,
  InvalidArg: 8,
  OperationFailed: 9,
  OperationDenied: 29,
  ConfSyntax: 33,
  SystemError: 38,
  Rpc: 39,
  AuthFailed: 45,
  OperationInvalid: 55,
  InvalidSecret: 65,
  NoSecret: 66,
  ConfigUnsupported: 67,
  OperationTimeout: 68,
  ArgumentUnsupported: 74,
  OperationUnsupported: 84,
  ResourceBusy: 87,
  AccessDenied: 88,
  AuthUnavailable: 94,
  NoServer: 95,
  NoClient: 96,
  NoHostname: 108,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The per-code message template libvirt fills with the detail (wp §6.2). */
const TEMPLATES: Readonly<Record<number, string>> = {
  [ErrorCode.InternalError]: 'internal error: %s',
  [ErrorCode.NoMemory]: 'out of memory: %s',
  [ErrorCode.NoSupport]: 'this function is not supported by the connection driver: %s',
  [ErrorCode.NoConnect]: 'no connection driver available for %s',
  [ErrorCode.InvalidConn]: 'invalid connection pointer in %s',
  [ErrorCode.InvalidArg]: 'invalid argument: %s',
  [ErrorCode.OperationFailed]: 'operation failed: %s',
  [ErrorCode.OperationDenied]: 'operation forbidden: %s',
  [ErrorCode.ConfSyntax]: 'configuration file syntax error: %s',
  [ErrorCode.SystemError]: '%s',
  [ErrorCode.Rpc]: '%s',
  [ErrorCode.AuthFailed]: 'authentication failed: %s',
  [ErrorCode.OperationInvalid]: 'Requested operation is not valid: %s',
  [ErrorCode.InvalidSecret]: 'Invalid secret: %s',
  [ErrorCode.NoSecret]: 'Secret not found: %s',
  [ErrorCode.ConfigUnsupported]: 'unsupported configuration: %s',
  [ErrorCode.OperationTimeout]: 'Timed out during operation: %s',
  [ErrorCode.ArgumentUnsupported]: 'argument unsupported: %s',
  [ErrorCode.OperationUnsupported]: 'Operation not supported: %s',
  [ErrorCode.ResourceBusy]: 'resource busy: %s',
  [ErrorCode.AccessDenied]: 'access denied: %s',
  [ErrorCode.AuthUnavailable]: 'authentication unavailable: %s',
  [ErrorCode.NoServer]: 'Server not found: %s',
  [ErrorCode.NoClient]: 'Client not found: %s',
  [ErrorCode.NoHostname]: 'no hostname found: %s',
};

export interface VirErrorFields {
  code: number;
  domain: number;
  message: string;
  level?: number;
  str1?: string | null;
  str2?: string | null;
  str3?: string | null;
  int1?: number;
  int2?: number;
}

export class VirError extends Error {
  readonly code: number;
  readonly domain: number;
  readonly level: number;
  readonly str1: string | null;
  readonly str2: string | null;
  readonly str3: string | null;
  readonly int1: number;
  readonly int2: number;

  constructor(fields: VirErrorFields, options?: { cause?: unknown }) {
    super(fields.message, options);
    this.name = 'VirError';
    this.code = fields.code;
    this.domain = fields.domain;
    this.level = fields.level ?? ErrorLevel.Error;
    this.str1 = fields.str1 ?? null;
    this.str2 = fields.str2 ?? null;
    this.str3 = fields.str3 ?? null;
    this.int1 = fields.int1 ?? -1;
    this.int2 = fields.int2 ?? -1;
  }
}

/** The template of a code; unknown codes carry their detail as is. */
export function templateFor(code: number): string {
  return TEMPLATES[code] ?? '%s';
}

/** Builds errors as libvirt's generic error reporting does: str1 = template, str2 = detail. */
export type ErrorFactory = (code: ErrorCode | number, detail: string, options?: { cause?: unknown }) => VirError;

export function errorsFrom(domain: ErrorDomain | number): ErrorFactory {
  return (code, detail, options) => {
    const template = templateFor(code);
    return new VirError(
      { code, domain, message: template.replace('%s', detail), str1: template, str2: detail },
      options,
    );
  };
}

/**
 * The unsupported-flags error (wp §6.1): message names the C function, str1 is
 * that name, str2 the word "flags", int1 = int2 = 0. Callers that mirror
 * libvirt pass the C function name libvirt would report (admin §3).
 */
export function unsupportedFlags(domain: number, flags: number, functionName: string): VirError {
  return new VirError({
    code: ErrorCode.InvalidArg,
    domain,
    message: `unsupported flags (0x${(flags >>> 0).toString(16)}) in function ${functionName}`,
    str1: functionName,
    str2: 'flags',
    int1: 0,
    int2: 0,
  });
}

/** A system error: detail already ends with ": <strerror>", int1 carries errno (wp §6.1). */
export function systemError(domain: number, detail: string, errno: number): VirError {
  return new VirError({ code: ErrorCode.SystemError, domain, message: detail, str1: '%s', str2: detail, int1: errno });
}
