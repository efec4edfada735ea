/** The certificate panel: the shown daemon's TLS files, what they hold, and the last reload's handshake check. */
import { Box, Text } from 'ink';
import { type CertInfo, expiryText, type TlsReport } from '../../tasks/index.js';
import { useConsole } from '../store/store-context.js';
import type { TlsState } from '../store/tls-slice.js';
import { theme } from '../theme.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function Cert({ c }: { c: CertInfo }) {
  return (
    <>
      <Text>  subject {c.subject}</Text>
      {c.sans.length > 0 && <Text>  SANs    {c.sans.join(', ')}</Text>}
      <Text>  issuer  {c.issuer}</Text>
      <Text>
        {'  '}serial  {c.serial}  valid {day(c.validFrom)} to {day(c.validTo)}
      </Text>
    </>
  );
}

function Report({ r }: { r: TlsReport }) {
  if (r.none) return <Text color={theme.muted}>{r.none}</Text>;
  const e = r.expiry;
  const expiryColour = !e ? theme.muted : e.state === 'valid' ? theme.ok : e.state === 'expiring' ? theme.warn : theme.danger;
  return (
    <Box flexDirection="column">
      <Text>TLS on {r.listeners.map((l) => `${l.address} (${l.server})`).join(', ')}</Text>
      <Text bold>certificate {r.files!.certFile}</Text>
      {r.certificate ? (
        <>
          <Cert c={r.certificate} />
          <Text color={expiryColour}>  expiry  {expiryText(e!)}</Text>
          <Text color={r.chainProblem ? theme.danger : theme.ok}>  chain   {r.chainProblem ? `does not verify: ${r.chainProblem}` : 'verifies against the CA file'}</Text>
          {r.files!.crlFile && <Text color={r.revoked ? theme.danger : undefined}>  CRL     {r.revoked ? 'REVOKED' : r.crl ? 'not revoked' : `unreadable: ${r.crlError}`}</Text>}
        </>
      ) : (
        <Text color={theme.danger}>  cannot read it: {r.certificateError}</Text>
      )}
      <Text bold>CA {r.files!.caFile}</Text>
      {r.caError && <Text color={theme.danger}>  cannot read it: {r.caError}</Text>}
      {r.cas.map((c) => (
        <Text key={c.fingerprint256}>
          {'  '}
          {c.subject}, valid to {day(c.validTo)}
        </Text>
      ))}
      <Text color={theme.muted}>key {r.files!.keyFile}</Text>
    </Box>
  );
}

function Reload({ s }: { s: TlsState }) {
  if (!s.reload) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>last reload ({new Date(s.at).toLocaleTimeString()})</Text>
      {s.reload.map((r) => (
        <Text key={r.server} color={r.servesFile ? theme.ok : theme.danger} wrap="wrap">
          {r.server}: {r.refused ? `refused: ${r.refused}; ` : 'reloaded; '}
          {r.served
            ? `a new client of ${r.listener.address} gets serial ${r.served.serial} (valid to ${day(r.served.validTo)}): ${r.servesFile ? 'the certificate in the file' : 'NOT the certificate in the file'}`
            : `handshake failed: ${r.handshakeError}`}
        </Text>
      ))}
    </Box>
  );
}

export function CertificatesView() {
  const key = useConsole((s) => s.target.socketPath);
  const state = useConsole((s) => s.tls[key]);
  return (
    <Box flexDirection="column">
      {!state && <Text color={theme.muted}>reading the TLS files…</Text>}
      {state?.error && <Text color={theme.danger}>{state.error}</Text>}
      {state?.report && <Report r={state.report} />}
      {state && <Reload s={state} />}
      <Text color={theme.muted}>T: reload the TLS files and check with a new handshake which certificate is served  r: read the files again</Text>
    </Box>
  );
}
