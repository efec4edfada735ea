/** The certificate panel's facts as text, for the command line and the console. */
import type { CertInfo } from './x509-files.js';
import type { ReloadResult } from './tls-reload.js';
import { EXPIRY_WARNING_DAYS, type Expiry, type TlsReport } from './tls-report.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function expiryText(e: Expiry): string {
  switch (e.state) {
    case 'expired':
      return `EXPIRED ${e.daysAgo} day(s) ago`;
    case 'not yet valid':
      return `NOT YET VALID (valid in ${e.daysUntil} day(s))`;
    case 'expiring':
      return `expires in ${e.daysLeft} day(s): renew it (warning from ${EXPIRY_WARNING_DAYS} days)`;
    case 'valid':
      return `valid for ${e.daysLeft} more day(s)`;
  }
}

function certLines(c: CertInfo, indent: string): string[] {
  return [
    `${indent}subject  ${c.subject}`,
    ...(c.sans.length ? [`${indent}SANs     ${c.sans.join(', ')}`] : []),
    `${indent}issuer   ${c.issuer}`,
    `${indent}serial   ${c.serial}`,
    `${indent}valid    ${day(c.validFrom)} to ${day(c.validTo)}`,
  ];
}

export function tlsText(r: TlsReport): string {
  const f = r.facts;
  const lines = [`${f.name} (${f.mode}), pid ${f.pid}`];
  if (r.none) return [...lines, r.none].join('\n') + '\n';
  lines.push(`TLS on ${r.listeners.map((l) => `${l.address} (${l.server})`).join(', ')}`);
  lines.push(`certificate ${r.files!.certFile}`);
  if (r.certificate) {
    lines.push(...certLines(r.certificate, '  '));
    lines.push(`  expiry   ${expiryText(r.expiry!)}`);
    lines.push(`  chain    ${r.chainProblem ? `DOES NOT VERIFY: ${r.chainProblem}` : 'verifies against the CA file'}`);
    if (r.files!.crlFile) lines.push(`  CRL      ${r.revoked ? 'REVOKED by the CRL' : r.crl ? 'not revoked' : 'unknown (CRL unreadable)'}`);
  } else lines.push(`  cannot read it: ${r.certificateError}`);
  lines.push(`CA ${r.files!.caFile}`);
  if (r.caError) lines.push(`  cannot read it: ${r.caError}`);
  for (const ca of r.cas) lines.push(...certLines(ca, '  '));
  lines.push(`key ${r.files!.keyFile}`);
  if (r.files!.crlFile) {
    lines.push(`CRL ${r.files!.crlFile}`);
    if (r.crl) {
      lines.push(`  issuer ${r.crl.issuer}${r.crl.signedByCa ? '' : ' (NOT signed by a CA in the CA file)'}`);
      lines.push(`  updated ${day(r.crl.thisUpdate)}${r.crl.nextUpdate ? `, next ${day(r.crl.nextUpdate)}` : ''}; ${r.crl.revoked.length} revoked`);
    } else lines.push(`  cannot read it: ${r.crlError}`);
  }
  return lines.join('\n') + '\n';
}

export function reloadText(results: ReloadResult[]): string {
  return (
    results
      .map((r) => {
        const head = r.refused ? `${r.server}: the daemon refused the reload: ${r.refused}` : `${r.server}: reloaded`;
        const check = r.handshakeError
          ? `handshake with ${r.listener.address} failed: ${r.handshakeError}`
          : `a new client of ${r.listener.address} gets serial ${r.served!.serial} (valid to ${day(r.served!.validTo)})${r.before && r.before.fingerprint256 !== r.served!.fingerprint256 ? `, was ${r.before.serial}` : ''}: ${r.servesFile ? 'the certificate in the file' : 'NOT the certificate in the file'}`;
        return `${head}\n  ${check}`;
      })
      .join('\n') + '\n'
  );
}
