/**
 * TlsOptions: how a TLS session verifies its peer or presents itself, made by Godot's static
 * constructors Client, ClientUnsafe and Server and read back through its getters. Immutable.
 */
import { GodotObject, registerGodotClass } from '../core/godot-object.js';
import { checkString, describe } from '../core/arguments.js';
import { CryptoKey } from './crypto-key.js';
import { X509Certificate } from './x509-certificate.js';

const enum Mode {
  Client = 0,
  ClientUnsafe = 1,
  Server = 2,
}

export class TlsOptions extends GodotObject {
  private mode = Mode.Client;
  private trustedChain: X509Certificate | null = null;
  private commonNameOverride = '';
  private ownCertificate: X509Certificate | null = null;
  private privateKey: CryptoKey | null = null;

  /**
   * A client that verifies the server's certificate chain, against `trustedChain` or (null)
   * Node's default CA store, and that it was issued for the host name — or for
   * `commonNameOverride` when that is not empty.
   */
  static Client(trustedChain: X509Certificate | null = null, commonNameOverride = ''): TlsOptions {
    checkCertificate('TlsOptions.Client', trustedChain);
    checkString('TlsOptions.Client', commonNameOverride);
    const options = new TlsOptions();
    options.trustedChain = trustedChain;
    options.commonNameOverride = commonNameOverride;
    return options;
  }

  /**
   * A client that never checks the host name. With no `trustedChain` it accepts any
   * certificate (testing only); with one, the chain must still verify against it.
   */
  static ClientUnsafe(trustedChain: X509Certificate | null = null): TlsOptions {
    checkCertificate('TlsOptions.ClientUnsafe', trustedChain);
    const options = new TlsOptions();
    options.mode = Mode.ClientUnsafe;
    options.trustedChain = trustedChain;
    return options;
  }

  /** A server presenting `certificate` (leaf first, then the intermediates) with `key`. */
  static Server(key: CryptoKey | null, certificate: X509Certificate | null): TlsOptions {
    if (key !== null && !(key instanceof CryptoKey)) throw new TypeError(`TlsOptions.Server: expected a CryptoKey, got ${describe(key)}`);
    checkCertificate('TlsOptions.Server', certificate);
    const options = new TlsOptions();
    options.mode = Mode.Server;
    options.privateKey = key;
    options.ownCertificate = certificate;
    return options;
  }

  IsServer(): boolean {
    return this.mode === Mode.Server;
  }

  IsUnsafeClient(): boolean {
    return this.mode === Mode.ClientUnsafe;
  }

  GetCommonNameOverride(): string {
    return this.commonNameOverride;
  }

  GetTrustedCaChain(): X509Certificate | null {
    return this.trustedChain;
  }

  GetPrivateKey(): CryptoKey | null {
    return this.privateKey;
  }

  GetOwnCertificate(): X509Certificate | null {
    return this.ownCertificate;
  }
}

/** Throws TypeError unless `value` is TlsOptions, null or undefined (an omitted argument). */
export function checkTlsOptions(method: string, value: unknown): asserts value is TlsOptions | null | undefined {
  if (value !== null && value !== undefined && !(value instanceof TlsOptions)) {
    throw new TypeError(`${method}: expected TlsOptions or null, got ${describe(value)}`);
  }
}

function checkCertificate(name: string, value: unknown): asserts value is X509Certificate | null {
  if (value !== null && !(value instanceof X509Certificate)) {
    throw new TypeError(`${name}: expected an X509Certificate or null, got ${describe(value)}`);
  }
}

registerGodotClass(TlsOptions, {
  name: 'TLSOptions',
  methods: {
    is_server: 'IsServer',
    is_unsafe_client: 'IsUnsafeClient',
    get_common_name_override: 'GetCommonNameOverride',
    get_trusted_ca_chain: 'GetTrustedCaChain',
    get_private_key: 'GetPrivateKey',
    get_own_certificate: 'GetOwnCertificate',
  },
});
