// Every failure a user can hit while connecting or accepting ends promptly, in Closed, with a
// reason in GetCloseReason() (README "Compatibility": Godot leaves it empty). Real loopback
// sockets, port 0; "promptly" is bounded well below any timeout so a hang fails the test.
import { createHash } from 'node:crypto';
import { connect as rawConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CryptoKey, Error, StreamPeer, StreamPeerTls, TcpServer, TlsOptions, WebSocketPeer, X509Certificate } from '../src/index.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { pollUntil } from './helpers/loop.js';

const { State } = WebSocketPeer;
/** Far below the 30 s connect timeout, and no handshake timeout is set: a hang fails. */
const PROMPT_MS = 3000;

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Our server as Godot wires it: TcpServer → (StreamPeerTls →) WebSocketPeer; every accepted peer is polled. */
function ourServer(tls: boolean) {
  const tcp = new TcpServer();
  expect(tcp.Listen(0, '127.0.0.1')).toBe(Error.Ok);
  const peers: WebSocketPeer[] = [];
  let options: TlsOptions | null = null;
  if (tls) {
    const key = new CryptoKey();
    const chain = new X509Certificate();
    expect(key.LoadFromString(pki.server.key)).toBe(Error.Ok);
    expect(chain.LoadFromString(pki.server.chain)).toBe(Error.Ok);
    options = TlsOptions.Server(key, chain);
  }
  const server = {
    port: tcp.GetLocalPort(),
    peers,
    Poll() {
      while (tcp.IsConnectionAvailable()) {
        let stream: StreamPeer = tcp.TakeConnection()!;
        if (options) {
          const layer = new StreamPeerTls();
          expect(layer.AcceptStream(stream, options)).toBe(Error.Ok);
          stream = layer;
        }
        const peer = new WebSocketPeer();
        expect(peer.AcceptStream(stream)).toBe(Error.Ok);
        peers.push(peer);
      }
      for (const peer of peers) peer.Poll();
    },
  };
  cleanups.push(() => {
    for (const peer of peers) peer.Dispose();
    tcp.Stop();
  });
  return server;
}

/** A raw TCP server that does `onConnection` with each socket (a server that is not a WebSocket one). */
async function rawServer(onConnection: (socket: Socket) => void): Promise<number> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => sockets.add(s));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

function client(url: string, options: TlsOptions | null = null): WebSocketPeer {
  const peer = new WebSocketPeer();
  cleanups.push(() => peer.Dispose());
  expect(peer.ConnectToUrl(url, options)).toBe(Error.Ok);
  return peer;
}

async function closedPromptly(pollables: { Poll(): unknown }[], peers: WebSocketPeer[]): Promise<number> {
  const started = Date.now();
  await pollUntil(pollables, () => peers.every((p) => p.GetReadyState() === State.Closed), PROMPT_MS, 'every peer Closed');
  for (const peer of peers) expect(peer.GetCloseCode()).toBe(-1);
  return Date.now() - started;
}

describe('TLS on one side only', () => {
  it('a wss:// client against a ws:// server: the server refuses the ClientHello at once, both say why', async () => {
    const server = ourServer(false);
    const ca = new X509Certificate();
    ca.LoadFromString(pki.ca.cert);
    const peer = client(`wss://127.0.0.1:${server.port}/`, TlsOptions.Client(ca));
    await pollUntil([peer, server], () => server.peers.length === 1, PROMPT_MS);
    const elapsed = await closedPromptly([peer, server], [peer, server.peers[0]!]);
    expect(elapsed).toBeLessThan(PROMPT_MS);
    expect(server.peers[0]!.GetCloseReason()).toBe(
      'TLS_FROM_CLIENT: The client started a TLS handshake: it connected with wss:// to a ws:// server.');
    expect(peer.GetCloseReason()).toBe('TLS handshake failed: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER) (the server does not speak TLS: is it a ws:// server?)');
  });

  it('a ws:// client against a wss:// server: both end at once and say why', async () => {
    const server = ourServer(true);
    const peer = client(`ws://127.0.0.1:${server.port}/`);
    await pollUntil([peer, server], () => server.peers.length === 1, PROMPT_MS);
    await closedPromptly([peer, server], [peer, server.peers[0]!]);
    expect(server.peers[0]!.GetCloseReason()).toBe('TLS handshake failed: http request (ERR_SSL_HTTP_REQUEST) (the client does not speak TLS: it connected with ws:// to a wss:// server)');
    // Depending on timing the client sees the TLS alert or only the connection ending.
    expect(peer.GetCloseReason()).toMatch(/^TLS_FROM_SERVER: The server answered with TLS: connect to it with wss:\/\/\.$|^the server closed the connection without answering|^the connection failed \(\w+\) before the server answered/);
  });
});

describe('a server that does not answer 101', () => {
  it('fails at once on an answer that is not HTTP, quoting it', async () => {
    const port = await rawServer((socket) => socket.write('SSH-2.0-OpenSSH_9.2p1\r\n'));
    const peer = client(`ws://127.0.0.1:${port}/`);
    await closedPromptly([peer], [peer]);
    expect(peer.GetCloseReason()).toBe(
      'BAD_STATUS_LINE: The server did not answer with "HTTP/1.1 101". It sent "SSH-2.0-OpenSSH_9.2p1".');
  });

  it('says which status the server answered', async () => {
    const port = await rawServer((socket) => socket.once('data', () => socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nX: y\r\nZ: w\r\n\r\n')));
    const peer = client(`ws://127.0.0.1:${port}/nope`);
    await closedPromptly([peer], [peer]);
    expect(peer.GetCloseReason()).toBe('BAD_STATUS_LINE: The server did not answer with "HTTP/1.1 101". It sent "HTTP/1.1 404 Not Found".');
  });

  it('says when the server closes without answering, or after a partial answer', async () => {
    const silent = await rawServer((socket) => socket.once('data', () => socket.end()));
    const peer = client(`ws://127.0.0.1:${silent}/`);
    await closedPromptly([peer], [peer]);
    expect(peer.GetCloseReason()).toBe('the server closed the connection without answering the upgrade request');
    const partial = await rawServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 101 Switching\r\nUpgrade: websocket\r\n')));
    const second = client(`ws://127.0.0.1:${partial}/`);
    await closedPromptly([second], [second]);
    expect(second.GetCloseReason()).toBe('the server closed the connection after sending "HTTP/1.1 101 Switching", not a whole answer');
  });

  it('keeps the protocol the server chose when it refuses it, as Godot does', async () => {
    const port = await rawServer((socket) => socket.once('data', (request: Buffer) => {
      const clientKey = /Sec-WebSocket-Key: (\S+)/.exec(request.toString())![1]!;
      const accept = acceptFor(clientKey);
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: Chat\r\n\r\n`);
    }));
    const peer = new WebSocketPeer();
    cleanups.push(() => peer.Dispose());
    peer.SupportedProtocols = ['chat'];
    expect(peer.ConnectToUrl(`ws://127.0.0.1:${port}/`)).toBe(Error.Ok);
    await closedPromptly([peer], [peer]);
    expect(peer.GetCloseReason()).toBe('UNEXPECTED_PROTOCOL: The server selected a subprotocol that was not offered.');
    expect(peer.GetSelectedProtocol()).toBe('Chat');
    expect(peer.GetRequestedUrl()).toBe(`ws://127.0.0.1:${port}/`);
  });
});

describe('HandshakeTimeout', () => {
  it('says at which stage the handshake timed out, on both sides', async () => {
    // A client whose request nobody answers (the TcpServer never hands the connection out) ...
    const silentServer = new TcpServer();
    expect(silentServer.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    cleanups.push(() => silentServer.Stop());
    const peer = new WebSocketPeer();
    cleanups.push(() => peer.Dispose());
    peer.HandshakeTimeout = 0.1;
    expect(peer.ConnectToUrl(`ws://127.0.0.1:${silentServer.GetLocalPort()}/`)).toBe(Error.Ok);
    // ... and an accepted connection whose client never sends a request.
    const tcp = new TcpServer();
    expect(tcp.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    cleanups.push(() => tcp.Stop());
    const mute = rawConnect(tcp.GetLocalPort(), '127.0.0.1');
    mute.on('error', () => {});
    cleanups.push(() => mute.destroy());
    await pollUntil([peer], () => tcp.IsConnectionAvailable());
    const accepting = new WebSocketPeer();
    cleanups.push(() => accepting.Dispose());
    accepting.HandshakeTimeout = 0.1;
    expect(accepting.AcceptStream(tcp.TakeConnection())).toBe(Error.Ok);
    await pollUntil([peer, accepting], () => peer.GetReadyState() === State.Closed && accepting.GetReadyState() === State.Closed, PROMPT_MS);
    expect(peer.GetCloseReason()).toBe("handshake timed out after 0.1 s, waiting for the server's answer");
    expect(accepting.GetCloseReason()).toBe("handshake timed out after 0.1 s, waiting for the client's request");
  });
});

describe('connecting', () => {
  it('says the connection was refused, per address', async () => {
    const port = await rawServer(() => {});
    cleanups.splice(0).forEach((c) => c()); // close it again: the port is now refused
    const peer = client(`ws://127.0.0.1:${port}/`);
    await closedPromptly([peer], [peer]);
    expect(peer.GetCloseReason()).toBe(`could not connect to 127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
  });

  it('returns InvalidParameter for a bad URL and says why', () => {
    const cases: [string, string][] = [
      ['http://example.com/', 'URL_BAD_SCHEME: The URL scheme must be ws:// or wss://.'],
      ['ws://[::1/', 'URL_BAD_HOST: The URL has no valid host (IPv6 addresses must be in brackets).'],
      ['ws://::1/', 'URL_BAD_HOST: The URL has no valid host (IPv6 addresses must be in brackets).'],
      ['ws://a b/', 'URL_BAD_HOST: The URL has no valid host (IPv6 addresses must be in brackets).'],
      ['ws://host:0/', 'URL_BAD_PORT: The URL port must be a number from 1 to 65535.'],
      ['ws://host:70000/', 'URL_BAD_PORT: The URL port must be a number from 1 to 65535.'],
      ['', 'URL_EMPTY: The URL is empty.'],
    ];
    for (const [url, reason] of cases) {
      const peer = new WebSocketPeer();
      expect(peer.ConnectToUrl(url), url).toBe(Error.InvalidParameter);
      expect(peer.GetReadyState()).toBe(State.Closed);
      expect(peer.GetCloseCode()).toBe(-1);
      expect(peer.GetCloseReason(), url).toBe(reason);
    }
    const peer = new WebSocketPeer();
    expect(peer.ConnectToUrl('ws://127.0.0.1:9/', TlsOptions.Server(null, null))).toBe(Error.InvalidParameter);
    expect(peer.GetCloseReason()).toBe('ConnectToUrl: TlsOptions.Server() options were given to a client');
  });

  it('keeps the unread packets of a Closed peer when an argument is refused', async () => {
    const server = ourServer(false);
    const peer = client(`ws://127.0.0.1:${server.port}/`);
    await pollUntil([peer, server], () => peer.GetReadyState() === State.Open && server.peers.length === 1);
    server.peers[0]!.SendText('last words');
    server.peers[0]!.Close(4000, 'bye');
    await pollUntil([peer, server], () => peer.GetReadyState() === State.Closed);
    expect([peer.GetCloseCode(), peer.GetCloseReason()]).toEqual([4000, 'bye']);
    expect(peer.ConnectToUrl('')).toBe(Error.InvalidParameter);
    expect([peer.GetCloseCode(), peer.GetCloseReason()]).toEqual([-1, 'URL_EMPTY: The URL is empty.']);
    expect(peer.GetAvailablePacketCount()).toBe(1);
    expect(new TextDecoder().decode(peer.GetPacket())).toBe('last words');
  });

  it('leaves a busy peer alone when the URL is empty, as Godot does', async () => {
    const server = ourServer(false);
    const peer = client(`ws://127.0.0.1:${server.port}/`);
    await pollUntil([peer, server], () => peer.GetReadyState() === State.Open);
    expect(peer.ConnectToUrl('')).toBe(Error.InvalidParameter);
    expect(peer.GetReadyState()).toBe(State.Open);
    expect(peer.GetCloseReason()).toBe('');
    expect(peer.ConnectToUrl('http://x/')).toBe(Error.AlreadyInUse);
  });
});

describe('accepting', () => {
  it('says why AcceptStream refused a stream', () => {
    const peer = new WebSocketPeer();
    expect(peer.AcceptStream(null)).toBe(Error.InvalidParameter);
    expect(peer.GetCloseReason()).toBe('AcceptStream: the stream is null');
    expect(peer.AcceptStream(new StreamPeerTls())).toBe(Error.InvalidParameter);
    expect(peer.GetCloseReason()).toBe('AcceptStream: the stream is neither a StreamPeerTcp nor a StreamPeerTls over one');
  });

  it('keeps the requested URL of a request it refused, as Godot does', async () => {
    const server = ourServer(false);
    const socket = rawConnect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    cleanups.push(() => socket.destroy());
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.write('GET /room/7?x=1 HTTP/1.1\r\nHost: game.example:9080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await pollUntil([server], () => server.peers.length === 1 && server.peers[0]!.GetReadyState() === State.Closed, PROMPT_MS);
    const peer = server.peers[0]!;
    expect(peer.GetCloseReason()).toBe('BAD_KEY: The Sec-WebSocket-Key header is missing or is not base64 of 16 bytes.');
    expect(peer.GetRequestedUrl()).toBe('ws://game.example:9080/room/7?x=1');
    await pollUntil([], () => answer.includes('\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('refuses a plain-text non-HTTP client at once and quotes it', async () => {
    const server = ourServer(false);
    const socket = rawConnect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    cleanups.push(() => socket.destroy());
    socket.write('SSH-2.0-OpenSSH_9.2p1\r\n');
    await pollUntil([server], () => server.peers.length === 1 && server.peers[0]!.GetReadyState() === State.Closed, PROMPT_MS);
    expect(server.peers[0]!.GetCloseReason()).toBe(
      'BAD_REQUEST_LINE: The request line is not "GET <target> HTTP/1.1". It sent "SSH-2.0-OpenSSH_9.2p1".');
  });
});

/** base64(SHA-1(key + GUID)), as a server computes it. */
function acceptFor(key: string): string {
  return createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
}
