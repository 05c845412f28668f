import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TlsConfig } from '../../../shared/engine';

/** A configuration the user must fix (a file that cannot be read): the engine shows it as its error. */
export class EngineConfigError extends Error {
  readonly code = 'ENGINE_CONFIG';
}

/** `~/x` under the user's home, as a shell would. */
export const expandHome = (file: string, home = homedir()): string => (file === '~' ? home : file.startsWith('~/') ? join(home, file.slice(2)) : file);

function readPem(file: string, what: string, home: string): Buffer {
  const path = expandHome(file, home);
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new EngineConfigError(`${what} ${path} ${why}`);
  }
}

/** What dockerode's https requests are made with. */
export interface TlsMaterial {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** Set when the server's certificate is not to be checked (an agent that says so). */
  agent?: Agent;
}

/**
 * The CA, client certificate and key for a tcp engine: PEM text stored in settings, named files,
 * or DOCKER_CERT_PATH's layout (ca.pem, cert.pem, key.pem; each used when present). Files are read
 * now, so a renewed certificate is used from the next connect; a missing one is an EngineConfigError.
 */
export function tlsMaterial(tls: TlsConfig, home = homedir()): TlsMaterial {
  const out: TlsMaterial = {};
  if (tls.ca) out.ca = tls.ca;
  if (tls.cert) out.cert = tls.cert;
  if (tls.key) out.key = tls.key;
  if (tls.certDir) {
    const dir = expandHome(tls.certDir, home);
    if (!existsSync(dir)) throw new EngineConfigError(`Certificate directory ${dir} does not exist`);
    const inDir = (name: string) => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
    const ca = inDir('ca.pem');
    const cert = inDir('cert.pem');
    const key = inDir('key.pem');
    if (!ca && !cert && tls.verify !== false) throw new EngineConfigError(`Certificate directory ${dir} has neither ca.pem nor cert.pem (DOCKER_CERT_PATH layout: ca.pem, cert.pem, key.pem)`);
    if (cert && !key) throw new EngineConfigError(`Certificate directory ${dir} has cert.pem but no key.pem`);
    if (ca) out.ca = readPem(ca, 'CA certificate', home);
    if (cert) out.cert = readPem(cert, 'Client certificate', home);
    if (key) out.key = readPem(key, 'Client key', home);
  }
  if (tls.caFile) out.ca = readPem(tls.caFile, 'CA certificate file', home);
  if (tls.certFile) out.cert = readPem(tls.certFile, 'Client certificate file', home);
  if (tls.keyFile) out.key = readPem(tls.keyFile, 'Client key file', home);
  if (tls.verify === false) {
    out.agent = new Agent({ rejectUnauthorized: false, ...(out.ca ? { ca: out.ca } : {}), ...(out.cert ? { cert: out.cert } : {}), ...(out.key ? { key: out.key } : {}) });
  }
  return out;
}

/** DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as the docker CLI reads them, for a DOCKER_HOST engine. */
export function envTls(env: Record<string, string | undefined>, home = homedir()): TlsConfig | undefined {
  // As the docker CLI: DOCKER_TLS_VERIFY turns TLS on and checks the server; DOCKER_TLS alone only encrypts.
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return undefined;
  return { certDir: env.DOCKER_CERT_PATH?.trim() || join(home, '.docker'), verify };
}
