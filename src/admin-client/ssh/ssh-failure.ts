/**
 * Why an ssh connection failed or ended, told from what OpenSSH's client
 * printed (its wording, OpenSSH 9.x), as one error an operator can act on:
 * which host, what went wrong, and what to do. Each host's failure is its own.
 */
import { ErrorCode, ErrorDomain, VirError } from '../../rpc/index.js';

export type SshFailureKind =
  | 'unknown-host'
  | 'refused'
  | 'unreachable'
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'auth-needed'
  | 'no-shell'
  | 'closed'
  | 'lost'
  | 'timeout'
  | 'failed';

export class SshError extends VirError {
  constructor(
    readonly kind: SshFailureKind,
    readonly host: string,
    message: string,
    /** What ssh itself printed, for the log. */
    readonly sshOutput = '',
  ) {
    super({ code: ErrorCode.SystemError, domain: ErrorDomain.Rpc, message, str1: '%s', str2: message });
    this.name = 'SshError';
  }
}

/** ssh's own lines, without the remote side's noise (a login's chdir warning). */
function sshLines(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Could not chdir to home directory/.test(l) && !/^@+$/.test(l));
}

function after(lines: string[], pattern: RegExp): RegExpExecArray | undefined {
  for (const l of lines) {
    const m = pattern.exec(l);
    if (m) return m;
  }
  return undefined;
}

/**
 * The failure behind ssh's exit. `connected`: the session had been up (so a drop is a lost
 * connection, not a refusal at login).
 */
export function sshFailure(host: string, stderr: string, exit: { code: number | null; signal: string | null }, connected: boolean): SshError {
  const lines = sshLines(stderr);
  const said = lines.join('\n');
  const fail = (kind: SshFailureKind, message: string) => new SshError(kind, host, `${host}: ${message}`, stderr);
  let m: RegExpExecArray | undefined;

  if ((m = after(lines, /Could not resolve hostname ([^:]+): (.*)$/))) return fail('unknown-host', `unknown host: cannot resolve '${m[1]}' (${m[2]})`);
  if ((m = after(lines, /connect to host (\S+) port (\d+): Connection refused/))) return fail('refused', `connection refused: nothing accepts ssh connections on ${m[1]} port ${m[2]}`);
  if ((m = after(lines, /connect to host (\S+) port (\d+): (Connection timed out|No route to host|Network is unreachable)/))) {
    return fail(m[3] === 'Connection timed out' ? 'timeout' : 'unreachable', `unreachable: ${m[3]!.toLowerCase()} (${m[1]} port ${m[2]})`);
  }
  if ((m = after(lines, /^Connection to (\S+) port (\d+) timed out|Connection timed out during banner exchange/))) {
    return fail('timeout', 'no answer: the host accepted the connection but did not speak ssh in time (ConnectTimeout)');
  }
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(said)) {
    const offending = after(lines, /Offending \S+ key in (\S+)/)?.[1];
    const remove = after(lines, /^(ssh-keygen .*-R .*)$/)?.[1];
    return fail(
      'host-key-changed',
      `host key changed: refused. The key the host offers is not the one recorded${offending ? ` in ${offending}` : ''}: this may be an attack, or the host was reinstalled. ` +
        `If the change is expected, remove the old key${remove ? ` (${remove})` : ''} and connect once with ssh to check the new one.`,
    );
  }
  if ((m = after(lines, /No (\S+) host key is known for (\S+)/)) || /Host key verification failed/.test(said)) {
    return fail('host-key-unknown', `host key not known: refused. Connect once with ssh to check the host's key and record it in known_hosts (virt-admin-tui never accepts keys itself).`);
  }
  if ((m = after(lines, /Permission denied \(([^)]*)\)/))) {
    return fail(
      'auth-needed',
      `authentication needed: the host accepts ${m[1]} and no key was accepted; virt-admin-tui never asks for a password or passphrase (BatchMode). ` +
        'Load a key into ssh-agent, or name one with IdentityFile in ~/.ssh/config or ?keyfile= in the URI.',
    );
  }
  if ((m = after(lines, /^(This account is currently not available\.?|.*: command not found)$/))) {
    return fail('no-shell', `logged in, but the account cannot run commands (${m[1]}); its login shell must run /bin/sh`);
  }
  if ((m = after(lines, /^Timeout, server (\S+) not responding/))) return fail('lost', `connection lost: the host stopped answering (${m[0]})`);
  if ((m = after(lines, /^(Connection to \S+ closed by remote host\.?|.*Broken pipe|.*Connection reset by peer|Connection closed by .*)$/))) {
    return connected ? fail('lost', `connection lost (${m[1]})`) : fail('closed', `the server closed the connection during login (${m[1]})`);
  }
  const how = exit.signal ? `ended by ${exit.signal}` : `exit status ${exit.code}`;
  if (connected) return fail('lost', `connection lost (ssh ${how}${said ? `: ${lines[lines.length - 1]}` : ''})`);
  return fail('failed', `ssh failed (${how})${said ? `: ${said.replace(/\n/g, '; ')}` : ''}`);
}
