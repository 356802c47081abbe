/**
 * CryptoKey: one private key (or, in public-only mode, one public key), as Godot's (mbedTLS)
 * CryptoKey. Private keys are written in mbedTLS's layout (RSA: PKCS#1 "RSA PRIVATE KEY", EC:
 * SEC1 "EC PRIVATE KEY"), public keys as SubjectPublicKeyInfo "PUBLIC KEY".
 */
import { createPrivateKey, createPublicKey, type KeyExportOptions, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Error } from '../core/error.js';
import { GodotObject, registerGodotClass } from '../core/godot-object.js';
import { checkBoolean, checkString } from '../core/arguments.js';
import { pemBlocks } from './pem.js';

/** Key types that can sign a TLS handshake. mbedTLS knows RSA and EC; Node adds the others. */
const SIGNING_KEY_TYPES = new Set(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448']);

export class CryptoKey extends GodotObject {
  private key: KeyObject | null = null;
  private publicOnly = false;
  private locks = 0;
  /** @internal Bumped on every change, so cached TLS contexts know when to rebuild. */
  revision = 0;

  /**
   * Loads a private key (PEM or DER: PKCS#8, PKCS#1, SEC1), or with `publicOnly` a public key
   * (PEM "PUBLIC KEY" / "RSA PUBLIC KEY", or DER). InvalidParameter if the file cannot be read,
   * AlreadyInUse while a TLS session uses the key, Failed if it does not parse (encrypted keys
   * do not: there is no passphrase).
   */
  Load(path: string, publicOnly = false): Error {
    checkString('Load', path);
    checkBoolean('Load', publicOnly);
    if (this.locks > 0) return Error.AlreadyInUse;
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch {
      return Error.InvalidParameter;
    }
    const result = this.parse(content, publicOnly);
    content.fill(0); // do not leave key material lying around in the heap
    return result;
  }

  /** Loads a key from PEM text (as Load does with a file). */
  LoadFromString(stringKey: string, publicOnly = false): Error {
    checkString('LoadFromString', stringKey);
    checkBoolean('LoadFromString', publicOnly);
    if (this.locks > 0) return Error.AlreadyInUse;
    return this.parse(Buffer.from(stringKey, 'utf8'), publicOnly);
  }

  /**
   * Writes the key as PEM (its public part with `publicOnly`). InvalidParameter if the file
   * cannot be written; Failed when there is nothing to write (no key, or the private part of a
   * public-only key) — then the file is left untouched.
   */
  Save(path: string, publicOnly = false): Error {
    checkString('Save', path);
    checkBoolean('Save', publicOnly);
    const pem = this.SaveToString(publicOnly);
    if (pem === '') return Error.Failed;
    try {
      writeFileSync(path, pem, { mode: publicOnly ? 0o644 : 0o600 });
    } catch {
      return Error.InvalidParameter;
    }
    return Error.Ok;
  }

  /** The key as PEM; "" when there is no key or (not `publicOnly`) no private part. */
  SaveToString(publicOnly = false): string {
    checkBoolean('SaveToString', publicOnly);
    const key = this.key;
    if (!key) return '';
    if (publicOnly) return exportString(key.type === 'public' ? key : createPublicKey(key), { type: 'spki', format: 'pem' });
    if (this.publicOnly) return '';
    const type = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs8';
    return exportString(key, { type, format: 'pem' });
  }

  /** Whether the key was loaded in public-only mode. */
  IsPublicOnly(): boolean {
    return this.publicOnly;
  }

  /** @internal The private key for a TLS server (null if there is none). */
  get privateKey(): KeyObject | null {
    return this.publicOnly ? null : this.key;
  }

  /** @internal */
  lock(): void {
    this.locks++;
  }

  /** @internal */
  unlock(): void {
    if (this.locks > 0) this.locks--;
  }

  /** A key that does not parse leaves the previous key in place. */
  private parse(content: Buffer, publicOnly: boolean): Error {
    const key = publicOnly ? parsePublicKey(content) : parsePrivateKey(content);
    if (!key || !SIGNING_KEY_TYPES.has(key.asymmetricKeyType ?? '')) return Error.Failed;
    this.key = key;
    this.publicOnly = publicOnly;
    this.revision++;
    return Error.Ok;
  }
}

function parsePrivateKey(content: Buffer): KeyObject | null {
  const text = content.toString('latin1');
  if (text.includes('-----BEGIN')) return attempt(() => createPrivateKey({ key: text, format: 'pem' }));
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    const key = attempt(() => createPrivateKey({ key: content, format: 'der', type }));
    if (key) return key;
  }
  return null;
}

/** Only public key structures: unlike Node, mbedTLS does not derive a public key from a private one. */
function parsePublicKey(content: Buffer): KeyObject | null {
  const text = content.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const spki = pemBlocks(text, 'PUBLIC KEY')[0];
    if (spki) return attempt(() => createPublicKey({ key: spki, format: 'der', type: 'spki' }));
    const pkcs1 = pemBlocks(text, 'RSA PUBLIC KEY')[0];
    return pkcs1 ? attempt(() => createPublicKey({ key: pkcs1, format: 'der', type: 'pkcs1' })) : null;
  }
  for (const type of ['spki', 'pkcs1'] as const) {
    const key = attempt(() => createPublicKey({ key: content, format: 'der', type }));
    if (key) return key;
  }
  return null;
}

function attempt(parse: () => KeyObject): KeyObject | null {
  try {
    return parse();
  } catch {
    return null;
  }
}

function exportString(key: KeyObject, options: KeyExportOptions<'pem'>): string {
  try {
    return key.export(options).toString();
  } catch {
    return '';
  }
}

registerGodotClass(CryptoKey, {
  name: 'CryptoKey',
  methods: {
    load: 'Load',
    load_from_string: 'LoadFromString',
    save: 'Save',
    save_to_string: 'SaveToString',
    is_public_only: 'IsPublicOnly',
  },
});
