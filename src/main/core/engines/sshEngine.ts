import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { SshConfig } from '../../../shared/engine';
import { checkHostKey, knownHostsName } from './sshEngineKnownHosts';
import { EngineConfigError, expandHome } from './tlsOptions';

/** What docker-modem hands to ssh2's Client.connect for each connection (beside host, port, user). */
export interface SshConnectOptions {
  privateKey?: Buffer;
  agent?: string;
  readyTimeout: number;
  hostVerifier: (key: Buffer) => boolean;
}

/** One ssh engine's connection settings, and why its last host key was refused (ssh2 only says "Host denied"). */
export interface SshConnection {
  host: string;
  port: number;
  username: string;
  options: SshConnectOptions;
  /** The keys offered, in words, for an "authentication failed" message. */
  offered: string;
  knownHostsFile: string;
  lastRefusal(): string | undefined;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * ssh://user@host[:port] as OpenSSH would connect with StrictHostKeyChecking=yes: the key from
 * ssh-agent (SSH_AUTH_SOCK) and/or a key file (else the first of ~/.ssh/id_ed25519, id_ecdsa,
 * id_rsa), the host key checked against known_hosts (read on every connect, so a line added
 * after a refusal counts at once).
 */
export function sshConnection(url: URL, ssh: SshConfig | undefined, env: Record<string, string | undefined>, home = homedir()): SshConnection {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : 22;
  const username = url.username ? decodeURIComponent(url.username) : (env.USER ?? userInfo().username);
  const agent = ssh?.agent !== false && env.SSH_AUTH_SOCK ? env.SSH_AUTH_SOCK : undefined;
  let keyFile = ssh?.identityFile ? expandHome(ssh.identityFile, home) : undefined;
  if (!keyFile && !agent) keyFile = DEFAULT_KEYS.map((k) => join(home, '.ssh', k)).find((f) => existsSync(f));
  let privateKey: Buffer | undefined;
  if (keyFile) {
    try {
      privateKey = readFileSync(keyFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new EngineConfigError(`Private key file ${keyFile} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}`);
    }
  }
  if (!privateKey && !agent) {
    throw new EngineConfigError(`No ssh key to log in to ${host} with: SSH_AUTH_SOCK is not set (no ssh-agent) and there is no ~/.ssh/id_ed25519, id_ecdsa or id_rsa; give a private key file`);
  }
  const knownHostsFile = ssh?.knownHostsFile ? expandHome(ssh.knownHostsFile, home) : join(home, '.ssh', 'known_hosts');
  let refusal: string | undefined;
  const hostVerifier = (key: Buffer): boolean => {
    refusal = undefined;
    let text = '';
    try {
      text = readFileSync(knownHostsFile, 'utf8');
    } catch {
      // No file is no line: the key is unknown, and the message names the file to add it to.
    }
    const verdict = checkHostKey(text, host, port, key, knownHostsFile);
    if (verdict.ok) return true;
    refusal = verdict.message;
    return false;
  };
  const offered = [keyFile ? `key file ${keyFile}` : undefined, agent ? 'the keys in ssh-agent' : undefined].filter(Boolean).join(' and ');
  return {
    host,
    port,
    username,
    knownHostsFile,
    offered,
    options: { ...(privateKey ? { privateKey } : {}), ...(agent ? { agent } : {}), readyTimeout: 15_000, hostVerifier },
    lastRefusal: () => refusal,
  };
}

/** An ssh failure in the user's terms, or undefined when it is not one of ssh's own. */
export function sshFailureMessage(error: unknown, c: Pick<SshConnection, 'host' | 'port' | 'username' | 'offered' | 'lastRefusal'>): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const where = `${c.username}@${knownHostsName(c.host, c.port)}`;
  const m = error.message;
  if (/Host denied/i.test(m)) return c.lastRefusal() ?? `${where}: the host key was refused`;
  if (/All configured authentication methods failed/i.test(m)) {
    return `ssh login to ${where} failed: the server accepted none of ${c.offered || 'the keys offered'} (wrong user, or the key is not in its authorized_keys)`;
  }
  if (/Encrypted private (OpenSSH )?key detected|no passphrase given/i.test(m)) {
    return `The private key file is protected by a passphrase: add it to ssh-agent (ssh-add) and leave the key file empty`;
  }
  if (/Cannot parse privateKey|Unsupported key format/i.test(m)) return `The private key file is not a key ssh can read (${m})`;
  if (/Timed out while waiting for handshake/i.test(m)) return `ssh to ${where}: no ssh handshake within 15 s (is sshd listening there?)`;
  if (/\(SSH\)|handshake|kex/i.test(m) && (error as { level?: string }).level) return `ssh to ${where} failed: ${m}`;
  return undefined;
}
