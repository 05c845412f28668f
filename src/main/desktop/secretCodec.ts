import type { SecretCodec } from '../core/secrets';

/** The slice of Electron's safeStorage that Jobdeck uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Secrets at rest through the OS keychain (safeStorage), base64 in the JSON file. */
export function safeStorageCodec(safe: SafeStorageLike): SecretCodec {
  return {
    get available() {
      return safe.isEncryptionAvailable();
    },
    encrypt: (plain) => safe.encryptString(plain).toString('base64'),
    decrypt: (stored) => safe.decryptString(Buffer.from(stored, 'base64')),
  };
}
