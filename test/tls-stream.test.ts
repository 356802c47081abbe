/**
 * StreamPeerTls over real loopback TCP: both ends ours, certificates made at run time. Covers
 * verification (trusted chain, wrong host, unknown CA, expired, ClientUnsafe, the common-name
 * override), Godot's statuses and Error codes, data both ways and the ways a session ends.
 */
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CryptoKey, Error, StreamPeerTcp, StreamPeerTls, TcpServer, TlsOptions, X509Certificate } from '../src/index.js';
import { createTestPki, type TestCertificate, type TestPki } from './helpers/certs.js';
import { pollFor, pollUntil } from './helpers/loop.js';
import { openTcpPair, type TcpPair } from './helpers/pair.js';

const { Status } = StreamPeerTls;
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

let pki: TestPki;
let trusted: X509Certificate;
beforeAll(() => {
  pki = createTestPki();
  trusted = certificate(pki.ca.cert);
});
afterAll(() => pki?.cleanup());

function certificate(pem: string): X509Certificate {
  const cert = new X509Certificate();
  if (cert.LoadFromString(pem) !== Error.Ok) throw new globalThis.Error('test certificate did not load');
  return cert;
}

function serverOptions(cert: TestCertificate): TlsOptions {
  const key = new CryptoKey();
  if (key.LoadFromString(cert.key) !== Error.Ok) throw new globalThis.Error('test key did not load');
  return TlsOptions.Server(key, certificate(cert.chain));
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A connected TCP pair over loopback, closed after the test. */
async function tcpPair(): Promise<TcpPair> {
  const pair = await openTcpPair(3000);
  cleanups.push(() => pair.close());
  return pair;
}

interface TlsPair {
  client: StreamPeerTls;
  server: StreamPeerTls;
  clientTcp: StreamPeerTcp;
  serverTcp: StreamPeerTcp;
}

/** Our client against our server presenting `cert`; polls until the client's handshake is over. */
async function tlsPair(cert: TestCertificate, commonName: string, options: TlsOptions | null, server = serverOptions(cert)): Promise<TlsPair> {
  const tcp = await tcpPair();
  const pair = { client: new StreamPeerTls(), server: new StreamPeerTls(), clientTcp: tcp.client, serverTcp: tcp.server };
  cleanups.push(() => {
    pair.client.DisconnectFromStream();
    pair.server.DisconnectFromStream();
  });
  expect(pair.server.AcceptStream(tcp.server, server)).toBe(Error.Ok);
  expect(pair.client.ConnectToStream(tcp.client, commonName, options)).toBe(Error.Ok);
  expect(pair.client.GetStatus()).toBe(Status.Handshaking);
  expect(pair.server.GetStatus()).toBe(Status.Handshaking);
  await pollUntil([pair.client], () => pair.client.GetStatus() !== Status.Handshaking, 5000, 'the client handshake');
  return pair;
}

async function expectConnected(pair: TlsPair): Promise<void> {
  expect(pair.client.GetErrorReason()).toBe('');
  expect(pair.client.GetStatus()).toBe(Status.Connected);
  await pollUntil([pair.server], () => pair.server.GetStatus() !== Status.Handshaking, 3000, 'the server handshake');
  expect(pair.server.GetStatus()).toBe(Status.Connected);
  // Data both ways proves the session, not just the status.
  expect(pair.client.PutData(text('ping'))).toBe(Error.Ok);
  await pollUntil([pair.server], () => pair.server.GetAvailableBytes() >= 4, 3000, 'ping');
  expect(str(pair.server.GetData(4)[1])).toBe('ping');
  expect(pair.server.PutData(text('pong'))).toBe(Error.Ok);
  await pollUntil([pair.client], () => pair.client.GetAvailableBytes() >= 4, 3000, 'pong');
  expect(str(pair.client.GetData(4)[1])).toBe('pong');
}

function expectFailed(pair: TlsPair, status: StreamPeerTls.Status, reason: RegExp): void {
  expect(pair.client.GetStatus()).toBe(status);
  expect(pair.client.GetErrorReason()).toMatch(reason);
  expect(pair.client.GetStream()).toBe(null);
  expect(pair.client.GetPartialData(10)[0]).toBe(Error.Unconfigured);
}

describe('StreamPeerTls basics', () => {
  it('has Godot numbers for Status and starts Disconnected with nothing to read or write', () => {
    expect([Status.Disconnected, Status.Handshaking, Status.Connected, Status.Error, Status.ErrorHostnameMismatch]).toEqual([0, 1, 2, 3, 4]);
    const tls = new StreamPeerTls();
    expect(tls.GetStatus()).toBe(Status.Disconnected);
    expect(tls.GetStream()).toBe(null);
    expect(tls.GetAvailableBytes()).toBe(0);
    expect(tls.PutData(text('x'))).toBe(Error.Unconfigured);
    expect(tls.PutPartialData(text('x'))).toEqual([Error.Unconfigured, 0]);
    expect(tls.GetData(1)).toEqual([Error.Unconfigured, new Uint8Array(0)]);
    expect(tls.GetPartialData(1)).toEqual([Error.Unconfigured, new Uint8Array(0)]);
  });

  it('Poll() while not handshaking or connected warns, as Godot prints an error', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      new StreamPeerTls().Poll();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('StreamPeerTls.Poll'), expect.objectContaining({ code: 'GDWS_NO_CONNECTION' }));
    } finally {
      warn.mockRestore();
    }
  });

  it('checks its arguments: InvalidParameter for null streams and wrong-role options, TypeError for wrong types', async () => {
    const tls = new StreamPeerTls();
    expect(tls.ConnectToStream(null, 'localhost')).toBe(Error.InvalidParameter);
    expect(tls.AcceptStream(null, serverOptions(pki.server))).toBe(Error.InvalidParameter);
    const { client } = await tcpPair();
    expect(tls.ConnectToStream(client, 'localhost', serverOptions(pki.server))).toBe(Error.InvalidParameter);
    expect(tls.AcceptStream(client, TlsOptions.Client())).toBe(Error.InvalidParameter);
    expect(tls.AcceptStream(client, null)).toBe(Error.InvalidParameter);
    expect(tls.GetStatus()).toBe(Status.Disconnected);
    expect(() => tls.ConnectToStream({} as StreamPeerTcp, 'localhost')).toThrow(TypeError);
    expect(() => tls.ConnectToStream(client, 42 as unknown as string)).toThrow(TypeError);
    expect(() => tls.ConnectToStream(client, 'localhost', {} as TlsOptions)).toThrow(TypeError);
    expect(() => tls.AcceptStream(client, 'options' as unknown as TlsOptions)).toThrow(TypeError);
    // A stream that is not TCP: this package layers TLS on StreamPeerTcp only.
    expect(tls.ConnectToStream(new StreamPeerTls(), 'localhost')).toBe(Error.InvalidParameter);
  });

  it('fails at once over a TCP stream that is not connected', () => {
    const tls = new StreamPeerTls();
    expect(tls.ConnectToStream(new StreamPeerTcp(), 'localhost')).toBe(Error.Failed);
    expect(tls.GetStatus()).toBe(Status.Error);
    expect(tls.GetErrorReason()).toMatch(/not connected/);
  });

  it('refuses a second session while one is active (AlreadyInUse)', async () => {
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted));
    await expectConnected(pair);
    const { client } = await tcpPair();
    expect(pair.client.ConnectToStream(client, 'localhost', TlsOptions.Client(trusted))).toBe(Error.AlreadyInUse);
    expect(pair.server.AcceptStream(client, serverOptions(pki.server))).toBe(Error.AlreadyInUse);
  });
});

describe('StreamPeerTls client verification', () => {
  it('connects when the chain verifies against the trusted CA and the name matches (DNS and IP SANs)', async () => {
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted));
    await expectConnected(pair);
    expect(pair.client.GetStream()).toBe(pair.clientTcp);
    expect(pair.server.GetStream()).toBe(pair.serverTcp);
    await expectConnected(await tlsPair(pki.server, '127.0.0.1', TlsOptions.Client(trusted)));
  });

  it('a wrong host name ends in ErrorHostnameMismatch', async () => {
    const pair = await tlsPair(pki.wrongHost, 'localhost', TlsOptions.Client(trusted));
    expectFailed(pair, Status.ErrorHostnameMismatch, /not valid for "localhost".*wrong\.example/);
  });

  it('an unknown CA ends in Error, with the trusted chain and with the default store', async () => {
    expectFailed(await tlsPair(pki.unknownCa, 'localhost', TlsOptions.Client(trusted)), Status.Error, /not trusted: .*(trusted certificate authority|untrusted self-signed)/);
    // Node's default CA store does not know the test CA either.
    expectFailed(await tlsPair(pki.server, 'localhost', null), Status.Error, /not trusted/);
    // An empty chain trusts nothing (it replaces the default store, as in Godot).
    expectFailed(await tlsPair(pki.server, 'localhost', TlsOptions.Client(new X509Certificate())), Status.Error, /not trusted/);
  });

  it('an expired certificate ends in Error', async () => {
    expectFailed(await tlsPair(pki.expired, 'localhost', TlsOptions.Client(trusted)), Status.Error, /expired \(CERT_HAS_EXPIRED\)/);
  });

  it('ClientUnsafe() accepts any certificate and any name', async () => {
    for (const cert of [pki.unknownCa, pki.wrongHost, pki.expired]) {
      await expectConnected(await tlsPair(cert, 'localhost', TlsOptions.ClientUnsafe()));
    }
  });

  it('ClientUnsafe(chain) skips the name check but still verifies the chain (Godot: VERIFY_REQUIRED)', async () => {
    await expectConnected(await tlsPair(pki.wrongHost, 'localhost', TlsOptions.ClientUnsafe(trusted)));
    expectFailed(await tlsPair(pki.unknownCa, 'localhost', TlsOptions.ClientUnsafe(trusted)), Status.Error, /not trusted/);
  });

  it('commonNameOverride replaces the host name in the check', async () => {
    await expectConnected(await tlsPair(pki.wrongHost, '127.0.0.1', TlsOptions.Client(trusted, 'wrong.example')));
    expectFailed(await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted, 'other.example')), Status.ErrorHostnameMismatch, /"other\.example"/);
  });
});

describe('StreamPeerTls server', () => {
  it('completes a handshake whose ClientHello arrived before AcceptStream', async () => {
    const listener = new TcpServer();
    expect(listener.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    let secured = false;
    const node = tlsConnect({ host: '127.0.0.1', port: listener.GetLocalPort(), ca: pki.ca.cert, servername: 'localhost' }, () => {
      secured = true;
    });
    node.on('error', () => {});
    cleanups.push(() => {
      node.destroy();
      listener.Stop();
    });
    await pollUntil([], () => listener.IsConnectionAvailable(), 3000, 'a connection');
    const tcp = listener.TakeConnection()!;
    await pollUntil([], () => tcp.GetAvailableBytes() > 0, 3000, 'the ClientHello in the TCP stream');
    const tls = new StreamPeerTls();
    cleanups.push(() => tls.DisconnectFromStream());
    expect(tls.AcceptStream(tcp, serverOptions(pki.server))).toBe(Error.Ok);
    await pollUntil([tls], () => tls.GetStatus() !== Status.Handshaking && secured, 3000, 'the handshake');
    expect(tls.GetStatus()).toBe(Status.Connected);
  });

  it('a client that does not speak TLS ends the server handshake in Error', async () => {
    const listener = new TcpServer();
    expect(listener.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    const raw = netConnect(listener.GetLocalPort(), '127.0.0.1', () => raw.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    raw.on('error', () => {});
    cleanups.push(() => {
      raw.destroy();
      listener.Stop();
    });
    await pollUntil([], () => listener.IsConnectionAvailable(), 3000, 'a connection');
    const tls = new StreamPeerTls();
    expect(tls.AcceptStream(listener.TakeConnection(), serverOptions(pki.server))).toBe(Error.Ok);
    await pollUntil([tls], () => tls.GetStatus() !== Status.Handshaking, 3000, 'the handshake to fail');
    expect(tls.GetStatus()).toBe(Status.Error);
    expect(tls.GetErrorReason()).toMatch(/^TLS handshake failed: /);
    expect(tls.GetStream()).toBe(null);
  });

  it('presents the whole chain: a client trusting only the CA verifies the leaf through it', async () => {
    // The server's X509Certificate holds leaf + CA; a Node client with the CA checks the chain.
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted));
    await expectConnected(pair);
  });
});

describe('StreamPeerTls data and endings', () => {
  it('moves 256 KiB each way intact', async () => {
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted));
    await expectConnected(pair);
    const payload = new Uint8Array(256 * 1024).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
    for (const [from, to] of [[pair.client, pair.server], [pair.server, pair.client]] as const) {
      expect(from.PutData(payload)).toBe(Error.Ok);
      const received: Uint8Array[] = [];
      let total = 0;
      await pollUntil([from, to], () => {
        const [error, chunk] = to.GetPartialData(64 * 1024);
        expect(error).toBe(Error.Ok);
        received.push(chunk);
        total += chunk.length;
        return total >= payload.length;
      }, 5000, '256 KiB');
      expect(Buffer.concat(received).equals(payload)).toBe(true);
    }
  });

  it("the peer's close is seen after its last bytes are read; then Disconnected with FileEof", async () => {
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted));
    await expectConnected(pair);
    expect(pair.client.PutData(text('last words'))).toBe(Error.Ok);
    pair.client.DisconnectFromStream();
    expect(pair.client.GetStatus()).toBe(Status.Disconnected);
    expect(pair.client.GetStream()).toBe(null);
    expect(pair.client.PutData(text('x'))).toBe(Error.Unconfigured);
    await pollUntil([], () => pair.server.GetAvailableBytes() >= 10, 3000, 'the last bytes');
    await pollFor([pair.server], 50);
    // Buffered data keeps the session readable even though close_notify has arrived.
    expect(pair.server.GetStatus()).toBe(Status.Connected);
    expect(str(pair.server.GetData(10)[1])).toBe('last words');
    expect(pair.server.GetPartialData(10)[0]).toBe(Error.FileEof);
    expect(pair.server.GetStatus()).toBe(Status.Disconnected);
    expect(pair.server.GetStream()).toBe(null);
  });

  it('Poll() notices the peer closing without a read', async () => {
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted));
    await expectConnected(pair);
    pair.server.DisconnectFromStream();
    await pollUntil([pair.client], () => pair.client.GetStatus() !== Status.Connected, 3000, 'the close');
    expect(pair.client.GetStatus()).toBe(Status.Disconnected);
  });

  it('disconnecting the TCP stream under a session ends it', async () => {
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(trusted));
    await expectConnected(pair);
    pair.clientTcp.DisconnectFromHost();
    pair.client.Poll();
    expect(pair.client.GetStatus()).toBe(Status.Disconnected);
    await pollUntil([pair.server], () => pair.server.GetStatus() !== Status.Connected, 3000, 'the server to notice');
    expect(pair.server.GetStatus()).toBe(Status.Disconnected);
  });

  it('certificates and keys in use by a session refuse to load more (AlreadyInUse), until it ends', async () => {
    const key = new CryptoKey();
    expect(key.LoadFromString(pki.server.key)).toBe(Error.Ok);
    const chain = certificate(pki.server.chain);
    const ca = certificate(pki.ca.cert);
    const pair = await tlsPair(pki.server, 'localhost', TlsOptions.Client(ca), TlsOptions.Server(key, chain));
    await expectConnected(pair);
    expect(chain.LoadFromString(pki.ca.cert)).toBe(Error.AlreadyInUse);
    expect(chain.Load(pki.ca.certPath)).toBe(Error.AlreadyInUse);
    expect(ca.LoadFromString(pki.ca.cert)).toBe(Error.AlreadyInUse);
    expect(key.Load(pki.server.keyPath)).toBe(Error.AlreadyInUse);
    expect(key.LoadFromString(pki.server.key)).toBe(Error.AlreadyInUse);
    // Saving is always allowed.
    expect(chain.SaveToString()).not.toBe('');
    pair.client.DisconnectFromStream();
    pair.server.DisconnectFromStream();
    expect(chain.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    expect(ca.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    expect(key.LoadFromString(pki.server.key)).toBe(Error.Ok);
  });

  it('a session that failed its handshake releases its certificates too', async () => {
    const ca = certificate(pki.ca.cert);
    const pair = await tlsPair(pki.unknownCa, 'localhost', TlsOptions.Client(ca));
    expect(pair.client.GetStatus()).toBe(Status.Error);
    expect(ca.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
    await sleep(0);
  });
});
