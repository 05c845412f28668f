/**
 * Network and TLS failures of a tcp engine in the user's terms, or undefined when the error is
 * not one of these (the engine's own API errors keep their words). `address` is host:port.
 */
export function networkFailureMessage(error: unknown, address: string, tls: boolean): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = (error as { reason?: unknown }).reason;
  const m = error.message;
  switch (code) {
    case 'ECONNREFUSED':
      return `Connection refused: nothing listens on ${address} (is the engine running there, and is the port right?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host name in ${address} is not known (DNS lookup failed)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `No answer from ${address} (${code}): a firewall, or the host is down`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The engine's certificate is made out to another name: ${typeof reason === 'string' ? reason : m}. Connect by a name the certificate lists, or have a certificate made for this address`;
    case 'CERT_HAS_EXPIRED':
      return `The engine's certificate has expired: renew the server's certificate (the engine at ${address} presents it)`;
    case 'CERT_NOT_YET_VALID':
      return `The engine's certificate is not valid yet: check the clocks of this machine and the engine`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
      return `The engine's certificate is not signed by the CA Jobdeck was given (${code}): choose the CA file the engine's certificate was made with`;
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED':
      return `The engine refused Jobdeck's client certificate: it has expired. Make a new client certificate`;
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR':
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN':
      return `The engine refused Jobdeck's client certificate (wrong credentials: it is not signed by a CA the engine trusts, or it has expired)`;
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return `The engine at ${address} wants a client certificate: give the client certificate and key`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return `The engine at ${address} does not speak TLS on this port: remove the certificates, or use its TLS port`;
    default:
  }
  if (/Client sent an HTTP request to an HTTPS server/i.test(m)) {
    return `The engine at ${address} speaks TLS on this port: give its CA certificate and a client certificate and key`;
  }
  if (tls && (/socket hang up|ECONNRESET/.test(m) || code === 'ECONNRESET')) {
    return `The engine at ${address} hung up during the connection (a TLS engine that did not accept the client certificate does this): check the certificates`;
  }
  return undefined;
}
