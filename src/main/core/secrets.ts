import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SECRET_MASK } from '../../shared/ipc';
import type { EnvVar, TemplateSpec } from '../../shared/template';

/**
 * Encrypts secret env values at rest; Electron passes safeStorage, headless a key file codec.
 * Declared here, beside the code that uses it, so the composition root is imported by no one.
 */
export interface SecretCodec {
  readonly available: boolean;
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

const SEALED = 'sealed:v1:';

/**
 * AES-256-GCM with a key file beside the store (0600), for hosts without an OS keychain
 * (the headless host, tests). Electron passes safeStorage instead.
 */
export function keyFileCodec(dataDir: string): SecretCodec {
  const file = join(dataDir, 'secret.key');
  let key: Buffer;
  if (existsSync(file)) key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  else {
    mkdirSync(dirname(file), { recursive: true });
    key = randomBytes(32);
    writeFileSync(file, key.toString('base64'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return {
    available: true,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored) {
      const raw = Buffer.from(stored, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

export const isSealed = (value: string): boolean => value.startsWith(SEALED);

/** What goes into the JSON file: secret values encrypted; a masked value keeps the stored one. */
export function sealEnv(env: EnvVar[], codec: SecretCodec, previous: EnvVar[] = []): EnvVar[] {
  return env.map((e) => {
    if (!e.secret) return e;
    if (e.value === SECRET_MASK) {
      const old = previous.find((p) => p.name === e.name && p.secret);
      return { ...e, value: old ? old.value : '' };
    }
    // An empty value hides nothing, and stays empty so that "no value yet" can be seen.
    if (isSealed(e.value) || e.value === '') return e;
    return { ...e, value: SEALED + codec.encrypt(e.value) };
  });
}

/** What the container gets: NAME=value with secrets decrypted. */
export function unsealEnv(env: EnvVar[], codec: SecretCodec): string[] {
  return env.map((e) => `${e.name}=${e.secret && isSealed(e.value) ? codec.decrypt(e.value.slice(SEALED.length)) : e.value}`);
}

/** What leaves the main process: secret values replaced by the mask. */
export function maskEnv(env: EnvVar[]): EnvVar[] {
  return env.map((e) => (e.secret ? { ...e, value: e.value ? SECRET_MASK : '' } : e));
}

export function maskSpec<T extends TemplateSpec>(spec: T): T {
  return { ...spec, env: maskEnv(spec.env) };
}
