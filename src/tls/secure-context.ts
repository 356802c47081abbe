/**
 * Node SecureContexts for TlsOptions, built once per options object and rebuilt only when a
 * certificate or key in them has changed since (a server accepting many clients parses its key
 * once, not per connection).
 * @internal
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import { Error } from '../core/error.js';
import { derToPem } from './pem.js';
import type { TlsOptions } from './tls-options.js';
import type { X509Certificate } from './x509-certificate.js';

export type ContextResult = { error: Error.Ok; context: SecureContext; reason: '' } | { error: Error; context: null; reason: string };

const cache = new WeakMap<TlsOptions, { stamp: string; context: SecureContext }>();
let defaultClientContext: SecureContext | null = null;

/** The CAs a client trusts: the options' chain (only it, as in Godot), or Node's default store. */
export function clientContext(options: TlsOptions): SecureContext {
  const chain = options.GetTrustedCaChain();
  if (!chain) return (defaultClientContext ??= createSecureContext());
  return cached(options, `ca:${chain.revision}`, () => createSecureContext({ ca: chainPems(chain) }));
}

/** The certificate chain and key a server presents. InvalidParameter when they are missing or do not match. */
export function serverContext(options: TlsOptions): ContextResult {
  const key = options.GetPrivateKey();
  const certificate = options.GetOwnCertificate();
  const privateKey = key?.privateKey ?? null;
  if (!key || !certificate || !privateKey || certificate.certificates.length === 0) {
    return { error: Error.InvalidParameter, context: null, reason: 'TlsOptions.Server needs a private key and a certificate' };
  }
  try {
    const context = cached(options, `server:${key.revision}:${certificate.revision}`, () =>
      createSecureContext({
        key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        cert: chainPems(certificate).join(''),
      }),
    );
    return { error: Error.Ok, context, reason: '' };
  } catch (error) {
    return { error: Error.InvalidParameter, context: null, reason: `the key and certificate cannot be used together: ${(error as globalThis.Error).message}` };
  }
}

function cached(options: TlsOptions, stamp: string, build: () => SecureContext): SecureContext {
  const hit = cache.get(options);
  if (hit && hit.stamp === stamp) return hit.context;
  const context = build();
  cache.set(options, { stamp, context });
  return context;
}

function chainPems(chain: X509Certificate): string[] {
  return chain.certificates.map((der) => derToPem('CERTIFICATE', der));
}
