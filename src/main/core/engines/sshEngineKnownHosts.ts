import { createHash, createHmac } from 'node:crypto';

/** OpenSSH's fingerprint of a public key blob: SHA256:<base64, no padding>. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an ssh public key blob (its first string). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const n = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + n).toString('latin1') || 'unknown';
}

/** How known_hosts names a host: bare on port 22, else [host]:port. */
export const knownHostsName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

/** One host field of a known_hosts line against a name: hashed (|1|salt|hash), or patterns with ! negation. */
function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

export type HostKeyVerdict =
  | { ok: true }
  | { ok: false; reason: 'unknown' | 'changed' | 'revoked'; message: string };

/**
 * The host key `keyBlob` of `host:port` against a known_hosts file's text, as OpenSSH checks it
 * with StrictHostKeyChecking=yes: listed (for that name, that key) passes; listed with another
 * key of any type is a changed key; not listed is unknown; @revoked refuses.
 * @cert-authority lines are not supported and do not match.
 */
export function checkHostKey(text: string, host: string, port: number, keyBlob: Buffer, fileLabel: string): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const b64 = keyBlob.toString('base64');
  const type = keyTypeOf(keyBlob);
  const fp = fingerprintOf(keyBlob);
  let otherKey = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const marker = parts[0]?.startsWith('@') ? parts.shift() : undefined;
    const [hosts, , key] = parts;
    if (!hosts || !key || !hostFieldMatches(hosts, name)) continue;
    if (marker === '@cert-authority') continue;
    if (marker === '@revoked') {
      if (key === b64) return { ok: false, reason: 'revoked', message: `The host key of ${name} (${type} ${fp}) is marked @revoked in ${fileLabel}: the connection is refused` };
      continue;
    }
    if (key === b64) return { ok: true };
    otherKey = true;
  }
  if (otherKey) {
    return {
      ok: false,
      reason: 'changed',
      message: `The host key of ${name} has CHANGED: it now offers ${type} ${fp}, which is not the key ${fileLabel} lists for it. Someone may be intercepting the connection, or the host was reinstalled; check the fingerprint with its administrator before replacing the line in ${fileLabel}`,
    };
  }
  return {
    ok: false,
    reason: 'unknown',
    message: `Unknown host key: ${name} offers ${type} ${fp}, which is not in ${fileLabel}. Check the fingerprint, then add it (ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host} >> ${fileLabel}, or connect once with ssh)`,
  };
}
