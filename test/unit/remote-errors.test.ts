import { describe, expect, it } from 'vitest';
import { sshFailureMessage } from '../../src/main/core/engines/sshEngine';
import { networkFailureMessage } from '../../src/main/core/engines/tlsErrors';

const err = (message: string, code?: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), code ? { code } : {}, extra);
const net = (e: Error, tls = true) => networkFailureMessage(e, '10.0.0.5:2376', tls);

describe('tcp and TLS failures in the user\'s terms', () => {
  it('a refused connection, an unknown name, no answer', () => {
    expect(net(err('connect ECONNREFUSED 10.0.0.5:2376', 'ECONNREFUSED'))).toBe('Connection refused: nothing listens on 10.0.0.5:2376 (is the engine running there, and is the port right?)');
    expect(net(err('getaddrinfo ENOTFOUND build', 'ENOTFOUND'))).toMatch(/not known \(DNS lookup failed\)/);
    expect(net(err('connect ETIMEDOUT', 'ETIMEDOUT'))).toMatch(/^No answer from 10\.0\.0\.5:2376/);
  });

  it('the server\'s certificate: another name, expired, not yet valid, unknown CA', () => {
    const altname = err("Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list: ", 'ERR_TLS_CERT_ALTNAME_INVALID', { reason: "IP: 10.0.0.5 is not in the cert's list: " });
    expect(net(altname)).toMatch(/^The engine's certificate is made out to another name: IP: 10\.0\.0\.5 is not in the cert's list/);
    expect(net(err('certificate has expired', 'CERT_HAS_EXPIRED'))).toMatch(/^The engine's certificate has expired/);
    expect(net(err('certificate is not yet valid', 'CERT_NOT_YET_VALID'))).toMatch(/not valid yet/);
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      expect(net(err('x', code))).toMatch(/not signed by the CA Jobdeck was given/);
    }
  });

  it('the engine refusing our client certificate (wrong credentials), or wanting one', () => {
    expect(net(err('alert', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'))).toMatch(/refused Jobdeck's client certificate \(wrong credentials/);
    expect(net(err('alert', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'))).toMatch(/refused Jobdeck's client certificate/);
    expect(net(err('alert', 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED'))).toMatch(/it has expired/);
    expect(net(err('alert', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'))).toMatch(/wants a client certificate/);
    // A TLS 1.3 server that drops an untrusted client hangs up after the handshake.
    expect(net(err('socket hang up', 'ECONNRESET'))).toMatch(/hung up during the connection/);
    expect(net(err('socket hang up', 'ECONNRESET'), false)).toBeUndefined();
  });

  it('TLS and plain http mixed up', () => {
    expect(net(err('(HTTP code 400) unexpected - Client sent an HTTP request to an HTTPS server.'), false)).toMatch(/speaks TLS on this port/);
    expect(net(err('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'))).toMatch(/does not speak TLS on this port/);
  });

  it('anything else keeps its own words', () => {
    expect(net(err('(HTTP code 404) no such image'))).toBeUndefined();
  });
});

describe('ssh failures in the user\'s terms', () => {
  const c = { host: '127.0.0.1', port: 2222, username: 'deploy', offered: 'key file /k', lastRefusal: () => 'Unknown host key: [127.0.0.1]:2222 offers ssh-ed25519 SHA256:abc' };
  it('the host key refused: the verifier\'s own reason, with the fingerprint', () => {
    expect(sshFailureMessage(err('Host denied (verification failed)'), c)).toBe('Unknown host key: [127.0.0.1]:2222 offers ssh-ed25519 SHA256:abc');
  });
  it('authentication failed names the user, the host and what was offered', () => {
    expect(sshFailureMessage(err('All configured authentication methods failed'), c)).toBe(
      'ssh login to deploy@[127.0.0.1]:2222 failed: the server accepted none of key file /k (wrong user, or the key is not in its authorized_keys)',
    );
  });
  it('a key with a passphrase, a file that is no key, a server that never answers', () => {
    expect(sshFailureMessage(err('Encrypted private OpenSSH key detected, but no passphrase given'), c)).toMatch(/protected by a passphrase: add it to ssh-agent/);
    expect(sshFailureMessage(err('Cannot parse privateKey: Unsupported key format'), c)).toMatch(/not a key ssh can read/);
    expect(sshFailureMessage(err('Timed out while waiting for handshake'), c)).toMatch(/no ssh handshake within 15 s/);
  });
  it('not ssh\'s own: undefined (the network mapping decides)', () => {
    expect(sshFailureMessage(err('connect ECONNREFUSED', 'ECONNREFUSED'), c)).toBeUndefined();
  });
});
