import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprintOf, keyTypeOf, knownHostsName } from '../../src/main/core/engines/sshEngineKnownHosts';

// Made with ssh-keygen -t ed25519; fingerprint as `ssh-keygen -l` printed it.
const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIH26atStgYbOkZJhuX3GqeE0CV41rE77jhgmbl3bUVxZ';
const FP = 'SHA256:dLUlVW0+dDptTacz5VngQJ+PvZoMTY1KupTNBloT5zA';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIKUeUMnqD+lZ6FS+Gfl6PevtSnKl33nb7YIi3/h6Qwzp';
// `ssh-keygen -H` of "[build.example]:2222 ssh-ed25519 KEY".
const HASHED = '|1|BxXUWicdESFFUW7P2ilEBtGNHZc=|ov5yEWPRCTpUkF5BRXg3IuX8CiE=';
const blob = Buffer.from(KEY, 'base64');

describe('known_hosts, as OpenSSH checks it (StrictHostKeyChecking=yes)', () => {
  it('fingerprints and key types read as ssh-keygen prints them', () => {
    expect(fingerprintOf(blob)).toBe(FP);
    expect(keyTypeOf(blob)).toBe('ssh-ed25519');
    expect(knownHostsName('build.example', 22)).toBe('build.example');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('accepts a listed key: plain, [host]:port, a pattern list, and a hashed name', () => {
    expect(checkHostKey(`build.example ssh-ed25519 ${KEY}\n`, 'build.example', 22, blob, 'kh')).toEqual({ ok: true });
    expect(checkHostKey(`[127.0.0.1]:2222 ssh-ed25519 ${KEY} comment\n`, '127.0.0.1', 2222, blob, 'kh')).toEqual({ ok: true });
    expect(checkHostKey(`other,*.example ssh-ed25519 ${KEY}\n`, 'build.example', 22, blob, 'kh')).toEqual({ ok: true });
    expect(checkHostKey(`${HASHED} ssh-ed25519 ${KEY}\n`, 'build.example', 2222, blob, 'kh')).toEqual({ ok: true });
  });

  it('the same host on another port is another entry (the key is unknown there)', () => {
    const v = checkHostKey(`build.example ssh-ed25519 ${KEY}\n`, 'build.example', 2222, blob, '/home/me/.ssh/known_hosts');
    expect(v).toEqual({
      ok: false,
      reason: 'unknown',
      message: `Unknown host key: [build.example]:2222 offers ssh-ed25519 ${FP}, which is not in /home/me/.ssh/known_hosts. Check the fingerprint, then add it (ssh-keyscan -p 2222 build.example >> /home/me/.ssh/known_hosts, or connect once with ssh)`,
    });
  });

  it('an empty or missing file: unknown; a negated pattern does not match', () => {
    expect(checkHostKey('', 'build.example', 22, blob, 'kh')).toMatchObject({ ok: false, reason: 'unknown' });
    expect(checkHostKey(`*.example,!build.example ssh-ed25519 ${KEY}\n`, 'build.example', 22, blob, 'kh')).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('another key listed for the name is a changed key, said loudly', () => {
    const v = checkHostKey(`# mine\n[127.0.0.1]:2222 ssh-ed25519 ${OTHER}\n`, '127.0.0.1', 2222, blob, 'kh');
    expect(v).toMatchObject({ ok: false, reason: 'changed' });
    expect(v.ok ? '' : v.message).toMatch(/^The host key of \[127\.0\.0\.1\]:2222 has CHANGED: it now offers ssh-ed25519 SHA256:dLUl/);
  });

  it('@revoked refuses even when the key is also listed; @cert-authority lines do not match', () => {
    expect(checkHostKey(`@revoked * ssh-ed25519 ${KEY}\nbuild.example ssh-ed25519 ${KEY}\n`, 'build.example', 22, blob, 'kh')).toMatchObject({ ok: false, reason: 'revoked' });
    expect(checkHostKey(`@cert-authority *.example ssh-ed25519 ${KEY}\n`, 'build.example', 22, blob, 'kh')).toMatchObject({ ok: false, reason: 'unknown' });
  });
});
