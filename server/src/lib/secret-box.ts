import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Secrets at rest (a group robot's webhook key, later marketplace tokens): AES-256-GCM with a key derived by HKDF
 * from SECRETS_KEY, so a database dump alone reveals nothing, and a tampered value fails to open instead of
 * decrypting to garbage (https://nodejs.org/api/crypto.html#class-cipher, GCM authentication tag).
 * Stored as `v1:<iv>:<tag>:<ciphertext>` (base64url); `purpose` binds a value to its column (associated data), so a
 * value copied into another column does not open there.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('SECRETS_KEY must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'shopcrew', 'secrets-at-rest v1', 32));
  }

  seal(plain: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
  }

  /** The plaintext; throws when the value was sealed with another key or purpose, or was altered. */
  open(sealed: string, purpose: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** What the API shows of a secret: never the whole of it. */
export const maskSecret = (secret: string): string => (secret.length <= 8 ? '****' : `${secret.slice(0, 4)}…${secret.slice(-4)}`);
