/**
 * X509Certificate, CryptoKey and TlsOptions: loading, saving and Godot's Error codes, with
 * certificates and keys made at run time (test/helpers/certs.ts).
 */
import { createPublicKey, generateKeyPairSync, X509Certificate as NodeX509 } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CryptoKey, Error, StreamPeerTls, TcpServer, TlsOptions, X509Certificate } from '../src/index.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { pollUntil } from './helpers/loop.js';

let pki: TestPki;
let dir: string;
beforeAll(() => {
  pki = createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'gdws-tls-files-'));
});
afterAll(() => {
  pki?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const derOf = (pem: string) => new NodeX509(pem).raw;
const pemCount = (text: string) => text.split('-----BEGIN CERTIFICATE-----').length - 1;
/** The DER certificates in PEM text, in order. */
const chainOf = (text: string) =>
  [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g)].map((m) => derOf(m[0]));

describe('X509Certificate', () => {
  it('loads a PEM certificate from a string and saves it back', () => {
    const cert = new X509Certificate();
    expect(cert.SaveToString()).toBe('');
    expect(cert.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    const saved = cert.SaveToString();
    expect(chainOf(saved)).toEqual([derOf(pki.ca.cert)]);
    // The layout mbedTLS writes: 64-column base64 between the markers, newline-terminated.
    expect(saved).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
  });

  it('saves the whole chain in order (not the first certificate N times, as Godot does)', () => {
    const chain = new X509Certificate();
    expect(chain.LoadFromString(pki.server.chain)).toBe(Error.Ok);
    expect(chainOf(chain.SaveToString())).toEqual([derOf(pki.server.cert), derOf(pki.ca.cert)]);
    const path = join(dir, 'chain.crt');
    expect(chain.Save(path)).toBe(Error.Ok);
    const again = new X509Certificate();
    expect(again.Load(path)).toBe(Error.Ok);
    expect(chainOf(again.SaveToString())).toEqual([derOf(pki.server.cert), derOf(pki.ca.cert)]);
  });

  it('appends on every load, as Godot builds chains', () => {
    const cert = new X509Certificate();
    expect(cert.Load(pki.server.certPath)).toBe(Error.Ok);
    expect(cert.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    expect(chainOf(cert.SaveToString())).toEqual([derOf(pki.server.cert), derOf(pki.ca.cert)]);
  });

  it('loads a DER certificate file', () => {
    const path = join(dir, 'ca.der');
    writeFileSync(path, derOf(pki.ca.cert));
    const cert = new X509Certificate();
    expect(cert.Load(path)).toBe(Error.Ok);
    expect(chainOf(cert.SaveToString())).toEqual([derOf(pki.ca.cert)]);
  });

  it('skips blocks that do not parse when others do; Failed when none does', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const mixed = new X509Certificate();
    expect(mixed.LoadFromString(broken + pki.ca.cert)).toBe(Error.Ok);
    expect(pemCount(mixed.SaveToString())).toBe(1);

    for (const input of [broken, '', 'not a certificate', pki.server.key]) {
      const cert = new X509Certificate();
      expect(cert.LoadFromString(input)).toBe(Error.Failed);
      expect(cert.SaveToString()).toBe('');
    }
  });

  it('answers InvalidParameter for files it cannot open, and keeps its chain on a failed load', () => {
    const cert = new X509Certificate();
    expect(cert.Load(join(dir, 'missing.crt'))).toBe(Error.InvalidParameter);
    expect(cert.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    expect(cert.LoadFromString('garbage')).toBe(Error.Failed);
    expect(pemCount(cert.SaveToString())).toBe(1);
    expect(cert.Save(join(dir, 'no-such-dir', 'x.crt'))).toBe(Error.InvalidParameter);
  });

  it('throws TypeError for wrong argument types', () => {
    const cert = new X509Certificate();
    expect(() => cert.Load(42 as unknown as string)).toThrow(TypeError);
    expect(() => cert.LoadFromString(null as unknown as string)).toThrow(TypeError);
    expect(() => cert.Save({} as unknown as string)).toThrow(TypeError);
  });
});

describe('CryptoKey', () => {
  const publicDer = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });

  it('loads a PKCS#8 EC key and writes it as mbedTLS does (SEC1 "EC PRIVATE KEY")', () => {
    const key = new CryptoKey();
    expect(key.SaveToString()).toBe('');
    expect(key.LoadFromString(pki.server.key)).toBe(Error.Ok);
    expect(key.IsPublicOnly()).toBe(false);
    const saved = key.SaveToString();
    expect(saved.startsWith('-----BEGIN EC PRIVATE KEY-----\n')).toBe(true);
    expect(publicDer(saved)).toEqual(publicDer(pki.server.key));
    const pub = key.SaveToString(true);
    expect(pub.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
    expect(publicDer(pub)).toEqual(publicDer(pki.server.key));
  });

  it('writes RSA keys as PKCS#1 "RSA PRIVATE KEY" and reads PKCS#1 back', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = new CryptoKey();
    expect(key.LoadFromString(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toBe(Error.Ok);
    const saved = key.SaveToString();
    expect(saved.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    const again = new CryptoKey();
    expect(again.LoadFromString(saved)).toBe(Error.Ok);
    expect(again.SaveToString()).toBe(saved);
  });

  it('round-trips through files, private and public', () => {
    const key = new CryptoKey();
    expect(key.Load(pki.server.keyPath)).toBe(Error.Ok);
    const privatePath = join(dir, 'server.key');
    const publicPath = join(dir, 'server.pub');
    expect(key.Save(privatePath)).toBe(Error.Ok);
    expect(statSync(privatePath).mode & 0o077).toBe(0); // a private key is not left world-readable
    expect(key.Save(publicPath, true)).toBe(Error.Ok);

    const loaded = new CryptoKey();
    expect(loaded.Load(privatePath)).toBe(Error.Ok);
    expect(loaded.SaveToString()).toBe(key.SaveToString());

    const pub = new CryptoKey();
    expect(pub.Load(publicPath, true)).toBe(Error.Ok);
    expect(pub.IsPublicOnly()).toBe(true);
    expect(pub.SaveToString(true)).toBe(key.SaveToString(true));
  });

  it('a public-only key has no private part to save; the file is left alone', () => {
    const pub = new CryptoKey();
    expect(pub.LoadFromString(createPublicKey(pki.server.key).export({ type: 'spki', format: 'pem' }) as string, true)).toBe(Error.Ok);
    expect(pub.SaveToString()).toBe('');
    const path = join(dir, 'untouched.key');
    writeFileSync(path, 'keep me');
    expect(pub.Save(path)).toBe(Error.Failed);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(new CryptoKey().Save(path)).toBe(Error.Failed);
  });

  it('public-only mode reads public keys only (no deriving one from a private key)', () => {
    const key = new CryptoKey();
    expect(key.LoadFromString(pki.server.key, true)).toBe(Error.Failed);
    expect(key.LoadFromString(pki.ca.cert, true)).toBe(Error.Failed);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(key.LoadFromString(publicKey.export({ type: 'pkcs1', format: 'pem' }) as string, true)).toBe(Error.Ok);
    expect(key.IsPublicOnly()).toBe(true);
  });

  it('reads DER keys: PKCS#8 and SEC1 private, SPKI public', () => {
    const node = createPublicKey(pki.server.key);
    const privateObject = (() => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return privateKey;
    })();
    for (const [name, der, publicOnly] of [
      ['pkcs8.der', privateObject.export({ type: 'pkcs8', format: 'der' }), false],
      ['sec1.der', privateObject.export({ type: 'sec1', format: 'der' }), false],
      ['spki.der', node.export({ type: 'spki', format: 'der' }), true],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, der);
      const key = new CryptoKey();
      expect(key.Load(path, publicOnly), name).toBe(Error.Ok);
      expect(key.IsPublicOnly()).toBe(publicOnly);
    }
  });

  it('answers Failed for keys it cannot read (garbage, encrypted) and keeps the old key', () => {
    const key = new CryptoKey();
    expect(key.LoadFromString(pki.server.key)).toBe(Error.Ok);
    const before = key.SaveToString();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
    for (const input of ['', 'garbage', pki.ca.cert, encrypted]) expect(key.LoadFromString(input)).toBe(Error.Failed);
    expect(key.SaveToString()).toBe(before);
    expect(key.Load(join(dir, 'missing.key'))).toBe(Error.InvalidParameter);
    expect(key.Save(join(dir, 'no-such-dir', 'x.key'))).toBe(Error.InvalidParameter);
  });

  it('throws TypeError for wrong argument types', () => {
    const key = new CryptoKey();
    expect(() => key.Load(pki.server.keyPath, 1 as unknown as boolean)).toThrow(TypeError);
    expect(() => key.LoadFromString(5 as unknown as string)).toThrow(TypeError);
    expect(() => key.SaveToString('yes' as unknown as boolean)).toThrow(TypeError);
  });
});

describe('TlsOptions', () => {
  it('Client, ClientUnsafe and Server report what they were made with', () => {
    const chain = new X509Certificate();
    const key = new CryptoKey();
    const plain = TlsOptions.Client();
    expect([plain.IsServer(), plain.IsUnsafeClient(), plain.GetCommonNameOverride(), plain.GetTrustedCaChain()]).toEqual([false, false, '', null]);
    const client = TlsOptions.Client(chain, 'example.org');
    expect(client.GetTrustedCaChain()).toBe(chain);
    expect(client.GetCommonNameOverride()).toBe('example.org');
    expect([client.GetPrivateKey(), client.GetOwnCertificate()]).toEqual([null, null]);
    const unsafe = TlsOptions.ClientUnsafe(chain);
    expect([unsafe.IsServer(), unsafe.IsUnsafeClient(), unsafe.GetTrustedCaChain()]).toEqual([false, true, chain]);
    expect(TlsOptions.ClientUnsafe().GetTrustedCaChain()).toBe(null);
    const server = TlsOptions.Server(key, chain);
    expect([server.IsServer(), server.IsUnsafeClient(), server.GetPrivateKey(), server.GetOwnCertificate()]).toEqual([true, false, key, chain]);
    expect(server.GetTrustedCaChain()).toBe(null);
    // A plain new TlsOptions is Godot's default-constructed one: a verifying client.
    expect(new TlsOptions().IsServer()).toBe(false);
  });

  it('throws TypeError for arguments of the wrong class', () => {
    expect(() => TlsOptions.Client('ca.crt' as unknown as X509Certificate)).toThrow(TypeError);
    expect(() => TlsOptions.Client(null, 5 as unknown as string)).toThrow(TypeError);
    expect(() => TlsOptions.ClientUnsafe(new CryptoKey() as unknown as X509Certificate)).toThrow(TypeError);
    expect(() => TlsOptions.Server(new X509Certificate() as unknown as CryptoKey, new X509Certificate())).toThrow(TypeError);
  });

  it('Server options without a usable key and certificate are refused by AcceptStream', async () => {
    const good = { key: new CryptoKey(), cert: new X509Certificate() };
    good.key.LoadFromString(pki.server.key);
    good.cert.LoadFromString(pki.server.chain);
    const otherKey = new CryptoKey();
    otherKey.LoadFromString(pki.wrongHost.key);
    const publicOnly = new CryptoKey();
    publicOnly.LoadFromString(good.key.SaveToString(true), true);
    const cases: [string, TlsOptions][] = [
      ['no key', TlsOptions.Server(null, good.cert)],
      ['no certificate', TlsOptions.Server(good.key, null)],
      ['empty key', TlsOptions.Server(new CryptoKey(), good.cert)],
      ['empty certificate', TlsOptions.Server(good.key, new X509Certificate())],
      ['public-only key', TlsOptions.Server(publicOnly, good.cert)],
      ['key of another certificate', TlsOptions.Server(otherKey, good.cert)],
      ['client options', TlsOptions.Client()],
    ];
    const server = new TcpServer();
    expect(server.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    const { StreamPeerTcp } = await import('../src/index.js');
    const client = new StreamPeerTcp();
    expect(client.ConnectToHost('127.0.0.1', server.GetLocalPort())).toBe(Error.Ok);
    await pollUntil([client], () => server.IsConnectionAvailable(), 3000, 'a connection');
    const tcp = server.TakeConnection()!;
    for (const [label, options] of cases) {
      const tls = new StreamPeerTls();
      expect(tls.AcceptStream(tcp, options), label).toBe(Error.InvalidParameter);
      expect(tls.GetStatus(), label).toBe(StreamPeerTls.Status.Disconnected);
    }
    // The TCP stream was not consumed by the refusals: good options still work on it.
    const tls = new StreamPeerTls();
    expect(tls.AcceptStream(tcp, TlsOptions.Server(good.key, good.cert))).toBe(Error.Ok);
    expect(tls.GetStatus()).toBe(StreamPeerTls.Status.Handshaking);
    tls.DisconnectFromStream();
    client.DisconnectFromHost();
    server.Stop();
  });
});
