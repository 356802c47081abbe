/**
 * X509Certificate: a chain of certificates, as Godot's (mbedTLS) X509Certificate: Load and
 * LoadFromString append every certificate they can parse, Save and SaveToString write the whole
 * chain as PEM. Parsing is node:crypto's; the object only keeps each certificate's DER bytes.
 */
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Error } from '../core/error.js';
import { GodotObject, registerGodotClass } from '../core/godot-object.js';
import { checkString } from '../core/arguments.js';
import { derToPem, pemBlocks } from './pem.js';

const CERTIFICATE_LABEL = 'CERTIFICATE';

export class X509Certificate extends GodotObject {
  private chain: Buffer[] = [];
  private locks = 0;
  /** @internal Bumped on every change, so cached TLS contexts know when to rebuild. */
  revision = 0;

  /**
   * Appends the certificates in a file (PEM, one or more; or one DER certificate).
   * InvalidParameter if the file cannot be read, AlreadyInUse while a TLS session uses this
   * chain, Failed if no certificate in it parses (those that do not parse are skipped).
   */
  Load(path: string): Error {
    checkString('Load', path);
    if (this.locks > 0) return Error.AlreadyInUse;
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch {
      return Error.InvalidParameter;
    }
    return this.append(content);
  }

  /** Appends the PEM certificates in `pem` (as Load does with a file). */
  LoadFromString(pem: string): Error {
    checkString('LoadFromString', pem);
    if (this.locks > 0) return Error.AlreadyInUse;
    return this.append(Buffer.from(pem, 'utf8'));
  }

  /** Writes the whole chain as PEM. InvalidParameter if the file cannot be written. */
  Save(path: string): Error {
    checkString('Save', path);
    try {
      writeFileSync(path, this.SaveToString());
    } catch {
      return Error.InvalidParameter;
    }
    return Error.Ok;
  }

  /** The whole chain as PEM blocks, in order; "" when empty. */
  SaveToString(): string {
    return this.chain.map((der) => derToPem(CERTIFICATE_LABEL, der)).join('');
  }

  /** @internal The chain's DER certificates, leaf first. */
  get certificates(): readonly Buffer[] {
    return this.chain;
  }

  /** @internal A TLS session holds the chain: loading more into it is refused meanwhile (as in Godot). */
  lock(): void {
    this.locks++;
  }

  /** @internal */
  unlock(): void {
    if (this.locks > 0) this.locks--;
  }

  private append(content: Buffer): Error {
    const parsed = parseCertificates(content);
    if (parsed.length === 0) return Error.Failed;
    this.chain.push(...parsed);
    this.revision++;
    return Error.Ok;
  }
}

/** Every certificate that parses: all PEM CERTIFICATE blocks, or the whole input as one DER. */
function parseCertificates(content: Buffer): Buffer[] {
  const text = content.toString('latin1');
  const candidates = text.includes(`-----BEGIN ${CERTIFICATE_LABEL}-----`)
    ? pemBlocks(text, CERTIFICATE_LABEL)
    : [content];
  const parsed: Buffer[] = [];
  for (const der of candidates) {
    try {
      parsed.push(new NodeX509Certificate(der).raw);
    } catch {
      // mbedTLS skips a certificate it cannot parse when others in the input do parse.
    }
  }
  return parsed;
}

registerGodotClass(X509Certificate, {
  name: 'X509Certificate',
  methods: {
    load: 'Load',
    load_from_string: 'LoadFromString',
    save: 'Save',
    save_to_string: 'SaveToString',
  },
});
