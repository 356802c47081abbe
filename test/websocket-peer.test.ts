import { connect as rawConnect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { EncodedObject, Error, GD, StreamPeerTcp, TcpServer, Vector2, WebSocketPeer } from '../src/index.js';
import { pollFor, pollUntil } from './helpers/loop.js';
import { openPair, type Pair } from './helpers/pair.js';
import { openRawClient } from './helpers/raw-client.js';
import { LINGER_MS } from '../src/net/socket-pipe.js';

const { State, WriteMode } = WebSocketPeer;
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

let open: Pair[] = [];
async function pair(options?: Parameters<typeof openPair>[0]) {
  const p = await openPair(options);
  open.push(p);
  return p;
}
afterEach(() => {
  for (const p of open) p.close();
  open = [];
});

describe('WebSocketPeer defaults', () => {
  it('starts Closed with Godot 4.4 defaults', () => {
    const peer = new WebSocketPeer();
    expect(peer.GetReadyState()).toBe(State.Closed);
    expect(peer.InboundBufferSize).toBe(65535);
    expect(peer.OutboundBufferSize).toBe(65535);
    expect(peer.MaxQueuedPackets).toBe(4096);
    expect(peer.HeartbeatInterval).toBe(0);
    expect(peer.SupportedProtocols).toEqual([]);
    expect(peer.HandshakeHeaders).toEqual([]);
    expect(peer.EncodeBufferMaxSize).toBe(8 * 1024 * 1024);
    expect(peer.GetCloseCode()).toBe(-1);
    expect(peer.GetCloseReason()).toBe('');
    expect(peer.GetRequestedUrl()).toBe('');
    expect(peer.GetSelectedProtocol()).toBe('');
    expect(peer.WasStringPacket()).toBe(false);
    expect(peer.GetAvailablePacketCount()).toBe(0);
    expect(peer.GetCurrentOutboundBufferedAmount()).toBe(0);
    expect(peer.GetPacketError()).toBe(Error.Ok);
  });

  it('has Godot numbers for State and WriteMode', () => {
    expect([State.Connecting, State.Open, State.Closing, State.Closed]).toEqual([0, 1, 2, 3]);
    expect([WriteMode.Text, WriteMode.Binary]).toEqual([0, 1]);
  });

  it('trims SupportedProtocols entries and ignores a negative HeartbeatInterval', () => {
    const peer = new WebSocketPeer();
    peer.SupportedProtocols = [' chat ', 'game\t', '  '];
    expect(peer.SupportedProtocols).toEqual(['chat', 'game']);
    peer.HeartbeatInterval = 1.5;
    peer.HeartbeatInterval = -1;
    expect(peer.HeartbeatInterval).toBe(1.5);
  });

  it('rounds EncodeBufferMaxSize up to a power of two and ignores out-of-range values', () => {
    const peer = new WebSocketPeer();
    peer.EncodeBufferMaxSize = 2000;
    expect(peer.EncodeBufferMaxSize).toBe(2048);
    peer.EncodeBufferMaxSize = 42;
    expect(peer.EncodeBufferMaxSize).toBe(2048);
    peer.EncodeBufferMaxSize = 256 * 1024 * 1024 + 42;
    expect(peer.EncodeBufferMaxSize).toBe(2048);
  });
});

describe('WebSocketPeer argument types', () => {
  it('throws TypeError for wrong argument types and never for state', () => {
    const peer = new WebSocketPeer();
    expect(() => peer.ConnectToUrl(42 as unknown as string)).toThrow(TypeError);
    expect(() => peer.Send('hello' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => peer.Send(new Uint8Array(1), 7 as WebSocketPeer.WriteMode)).toThrow(TypeError);
    expect(() => peer.SendText(5 as unknown as string)).toThrow(TypeError);
    expect(() => peer.PutPacket([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => peer.Close('1000' as unknown as number)).toThrow(TypeError);
    expect(() => peer.AcceptStream({} as StreamPeerTcp)).toThrow(TypeError);
    expect(() => { peer.InboundBufferSize = 1.5; }).toThrow(TypeError);
    expect(() => { peer.SupportedProtocols = 'chat' as unknown as string[]; }).toThrow(TypeError);
    expect(() => { peer.HandshakeHeaders = ['X-A: 1\r\nX-Injected: 1']; }).toThrow(TypeError);
    // As StreamPeer's GetVar/PutVar: the flag is a boolean, not any truthy value.
    expect(() => peer.GetVar(1 as unknown as boolean)).toThrow(TypeError);
    expect(() => peer.PutVar(1, 'yes' as unknown as boolean)).toThrow(TypeError);
    expect(peer.Send(new Uint8Array(1))).toBe(Error.Failed);
  });
});

describe('ConnectToUrl (spec §3.1)', () => {
  it.each([
    [''],
    ['http://127.0.0.1:1/'],
    ['ws://::1/'],
    ['ws://[::1/'],
    ['ws://h:0'],
    ['ws://h:70000'],
    ['ws://:80/'],
  ])('returns InvalidParameter for %j and stays Closed', (url) => {
    const peer = new WebSocketPeer();
    expect(peer.ConnectToUrl(url)).toBe(Error.InvalidParameter);
    expect(peer.GetReadyState()).toBe(State.Closed);
  });

  it('returns AlreadyInUse while Connecting or Open, and allows a new connect after close', async () => {
    const p = await pair();
    expect(p.client.ConnectToUrl(`ws://127.0.0.1:${p.port}/`)).toBe(Error.AlreadyInUse);
    const connecting = new WebSocketPeer();
    expect(connecting.ConnectToUrl(`ws://127.0.0.1:${p.port}/`)).toBe(Error.Ok);
    expect(connecting.GetReadyState()).toBe(State.Connecting);
    expect(connecting.ConnectToUrl(`ws://127.0.0.1:${p.port}/`)).toBe(Error.AlreadyInUse);
    connecting.Close();
    expect(connecting.GetReadyState()).toBe(State.Closed);
  });

  it('reports the URL exactly as given', async () => {
    const peer = new WebSocketPeer();
    const url = 'WS://127.0.0.1:9/Path?q=1#frag';
    expect(peer.ConnectToUrl(url)).toBe(Error.Ok);
    expect(peer.GetRequestedUrl()).toBe(url);
    peer.Close(-1);
  });

  it('ends Closed with close code -1 when nothing listens', async () => {
    const server = new TcpServer();
    server.Listen(0, '127.0.0.1');
    const port = server.GetLocalPort();
    server.Stop();
    const peer = new WebSocketPeer();
    expect(peer.ConnectToUrl(`ws://127.0.0.1:${port}/`)).toBe(Error.Ok);
    await pollUntil([peer], () => peer.GetReadyState() === State.Closed);
    expect(peer.GetCloseCode()).toBe(-1);
  });

  it('tries every address of localhost', async () => {
    const tcp = new TcpServer();
    expect(tcp.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    const client = new WebSocketPeer();
    const server = new WebSocketPeer();
    expect(client.ConnectToUrl(`ws://localhost:${tcp.GetLocalPort()}/`)).toBe(Error.Ok);
    await pollUntil([client], () => {
      if (tcp.IsConnectionAvailable()) server.AcceptStream(tcp.TakeConnection());
      server.Poll();
      return client.GetReadyState() === State.Open;
    });
    expect(client.GetConnectedHost()).toBe('127.0.0.1');
    client.Dispose();
    server.Dispose();
    tcp.Stop();
  });

  it('connects over IPv6 to [::1]', async () => {
    const p = await pair({ host: '::1' });
    expect(p.client.GetConnectedHost()).toBe('::1');
    expect(p.server.GetRequestedUrl()).toBe(`ws://[::1]:${p.port}/`);
  });
});

describe('AcceptStream (spec §3.2)', () => {
  it('returns InvalidParameter for null and AlreadyInUse when busy', async () => {
    const peer = new WebSocketPeer();
    expect(peer.AcceptStream(null)).toBe(Error.InvalidParameter);
    const p = await pair();
    expect(p.server.AcceptStream(new StreamPeerTcp())).toBe(Error.AlreadyInUse);
  });

  it('reports the requested URL from Host and the request target', async () => {
    const p = await pair({ path: '/chat?room=1' });
    expect(p.server.GetRequestedUrl()).toBe(`ws://127.0.0.1:${p.port}/chat?room=1`);
    expect(p.server.GetConnectedHost()).toBe('127.0.0.1');
    expect(p.client.GetConnectedPort()).toBe(p.port);
  });
});

describe('sending and receiving', () => {
  it('echoes text and binary with WasStringPacket', async () => {
    const p = await pair();
    expect(p.client.SendText('héllo')).toBe(Error.Ok);
    expect(p.client.Send(new Uint8Array([0, 1, 254, 255]))).toBe(Error.Ok);
    expect(p.client.Send(text('as text'), WriteMode.Text)).toBe(Error.Ok);
    expect(p.client.PutPacket(new Uint8Array([7]))).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 4);
    expect(str(p.server.GetPacket())).toBe('héllo');
    expect(p.server.WasStringPacket()).toBe(true);
    expect([...p.server.GetPacket()]).toEqual([0, 1, 254, 255]);
    expect(p.server.WasStringPacket()).toBe(false);
    expect(str(p.server.GetPacket())).toBe('as text');
    expect(p.server.WasStringPacket()).toBe(true);
    expect([...p.server.GetPacket()]).toEqual([7]);
    expect(p.server.GetPacketError()).toBe(Error.Ok);
  });

  it('returns Unavailable from GetPacket when Open and empty, Failed when Closed and empty', async () => {
    const p = await pair();
    expect(p.client.GetPacket().length).toBe(0);
    expect(p.client.GetPacketError()).toBe(Error.Unavailable);
    const closed = new WebSocketPeer();
    expect(closed.GetPacket().length).toBe(0);
    expect(closed.GetPacketError()).toBe(Error.Failed);
  });

  it('sends empty messages with Send and SendText, but nothing with an empty PutPacket', async () => {
    const p = await pair();
    expect(p.server.Send(new Uint8Array(0))).toBe(Error.Ok);
    expect(p.server.SendText('')).toBe(Error.Ok);
    expect(p.server.PutPacket(new Uint8Array(0))).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.client.GetAvailablePacketCount() === 2);
    await pollFor([p.client, p.server], 30);
    expect(p.client.GetAvailablePacketCount()).toBe(2);
    expect(p.client.GetPacket().length).toBe(0);
    expect(p.client.GetPacketError()).toBe(Error.Ok);
    expect(p.client.WasStringPacket()).toBe(false);
    p.client.GetPacket();
    expect(p.client.WasStringPacket()).toBe(true);
  });

  it('sends the largest message the default outbound buffer allows and refuses one byte more', async () => {
    const p = await pair();
    const big = new Uint8Array(65535).map((_, i) => i & 0xff);
    expect(p.server.Send(new Uint8Array(65536))).toBe(Error.OutOfMemory);
    expect(p.server.Send(big)).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.client.GetAvailablePacketCount() === 1);
    expect(Buffer.from(p.client.GetPacket()).equals(Buffer.from(big))).toBe(true);
  });

  it('returns OutOfMemory with MaxQueuedPackets 0, and never with a negative value', async () => {
    // The limit counts frames the OS has not taken (test/websocket-outbound.test.ts covers it
    // against a peer that does not read): on loopback every frame is taken at once.
    const p = await pair();
    p.client.MaxQueuedPackets = 2;
    for (const m of ['1', '2', '3']) expect(p.client.SendText(m)).toBe(Error.Ok);
    p.client.MaxQueuedPackets = 0;
    await pollFor([p.client, p.server], 30);
    expect(p.client.SendText('4')).toBe(Error.OutOfMemory);
    p.client.MaxQueuedPackets = -1;
    expect(p.client.SendText('5')).toBe(Error.Ok);
  });

  it('lifts the outbound byte limit when OutboundBufferSize is 0', async () => {
    const p = await pair();
    p.server.OutboundBufferSize = 0;
    p.client.InboundBufferSize = 1 << 20;
    const reconnect = await pair({ configureClient: (c) => { c.InboundBufferSize = 1 << 20; }, configureServer: (s) => { s.OutboundBufferSize = 0; } });
    const big = new Uint8Array(200_000).fill(9);
    expect(reconnect.server.Send(big)).toBe(Error.Ok);
    await pollUntil([reconnect.client, reconnect.server], () => reconnect.client.GetAvailablePacketCount() === 1);
    expect(reconnect.client.GetPacket().length).toBe(200_000);
  });

  it('refuses Send in Text mode for invalid UTF-8 (Godot would send it)', async () => {
    const p = await pair();
    expect(p.client.Send(new Uint8Array([0xc3, 0x28]), WriteMode.Text)).toBe(Error.InvalidParameter);
  });

  it('changes nothing observable between Poll() calls', async () => {
    const p = await pair();
    p.server.SendText('later');
    await sleep(50);
    expect(p.client.GetAvailablePacketCount()).toBe(0);
    await pollUntil([p.client, p.server], () => p.client.GetAvailablePacketCount() === 1);
  });

  it('keeps order and loses nothing under back-pressure (MaxQueuedPackets reached)', async () => {
    const p = await pair({ configureClient: (c) => { c.MaxQueuedPackets = 3; } });
    for (let i = 0; i < 50; i++) expect(p.server.SendText(`m${i}`)).toBe(Error.Ok);
    await pollFor([p.client, p.server], 100);
    expect(p.client.GetAvailablePacketCount()).toBe(3);
    const got: string[] = [];
    await pollUntil([p.client, p.server], () => {
      while (p.client.GetAvailablePacketCount() > 0) got.push(str(p.client.GetPacket()));
      return got.length === 50;
    });
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('keeps inbound bytes within InboundBufferSize and still delivers every message', async () => {
    const p = await pair({ configureClient: (c) => { c.InboundBufferSize = 1000; } });
    for (let i = 0; i < 20; i++) expect(p.server.Send(new Uint8Array(400).fill(i))).toBe(Error.Ok);
    await pollFor([p.client, p.server], 100);
    expect(p.client.GetAvailablePacketCount()).toBe(2);
    const got: number[] = [];
    await pollUntil([p.client, p.server], () => {
      while (p.client.GetAvailablePacketCount() > 0) got.push(p.client.GetPacket()[0]!);
      return got.length === 20;
    });
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('GetVar / PutVar (PacketPeer)', () => {
  it('sends Variants as binary packets and reads them back', async () => {
    const p = await pair();
    const value = new Map<unknown, unknown>([['op', 'move'], ['pos', new Vector2(3, 4)], ['n', 2n ** 60n]]);
    expect(p.client.PutVar(value)).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 1);
    const got = p.server.GetVar() as Map<string, unknown>;
    expect(p.server.GetPacketError()).toBe(Error.Ok);
    expect(p.server.WasStringPacket()).toBe(false);
    expect(got.get('op')).toBe('move');
    expect(got.get('pos')).toEqual(new Vector2(3, 4));
    expect(got.get('n')).toBe(2n ** 60n);
  });

  it('returns null and reports InvalidData for bytes that are no Variant, Unauthorized for objects', async () => {
    const p = await pair();
    p.client.Send(new Uint8Array([0xff, 0, 0, 0]));
    p.client.Send(GD.VarToBytesWithObjects(new EncodedObject('Node', new Map([['name', 'x']]))));
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 2);
    expect(p.server.GetVar()).toBeNull();
    expect(p.server.GetPacketError()).toBe(Error.InvalidData);
    expect(p.server.GetVar()).toBeNull();
    expect(p.server.GetPacketError()).toBe(Error.Unauthorized);
    expect(p.server.GetVar()).toBeNull();
    expect(p.server.GetPacketError()).toBe(Error.Unavailable);
  });

  it('refuses a PutVar larger than EncodeBufferMaxSize with OutOfMemory', async () => {
    const p = await pair();
    p.client.EncodeBufferMaxSize = 1024;
    expect(p.client.PutVar('x'.repeat(1025))).toBe(Error.OutOfMemory);
    expect(p.client.PutVar('x'.repeat(100))).toBe(Error.Ok);
  });
});

describe('closing (spec §9)', () => {
  it('closes cleanly with code and reason in both directions', async () => {
    const p = await pair();
    p.client.Close(4001, 'bye now');
    expect(p.client.GetReadyState()).toBe(State.Closing);
    expect(p.client.Send(new Uint8Array(1))).toBe(Error.Failed);
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed && p.server.GetReadyState() === State.Closed);
    expect(p.server.GetCloseCode()).toBe(4001);
    expect(p.server.GetCloseReason()).toBe('bye now');
    expect(p.client.GetCloseCode()).toBe(4001);
    expect(p.client.GetCloseReason()).toBe('bye now');
  });

  it('drops the trailing NULs of a close reason (Godot 3 sends one) and keeps an inner one (Godot 4 would cut there)', async () => {
    const p = await pair();
    p.client.Close(4002, 'a\u0000b\u0000\u0000');
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed && p.server.GetReadyState() === State.Closed);
    expect(p.server.GetCloseReason()).toBe('a\u0000b');
    expect(p.client.GetCloseReason()).toBe('a\u0000b'); // the echo of our own close
    const q = await pair();
    q.server.Close(4003, '\u0000');
    await pollUntil([q.client, q.server], () => q.client.GetReadyState() === State.Closed);
    expect([q.client.GetCloseCode(), q.client.GetCloseReason()]).toEqual([4003, '']);
  });

  it('reports 0 for a close without a status code', async () => {
    const p = await pair();
    p.server.Close(0, 'dropped reason');
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed && p.server.GetReadyState() === State.Closed);
    expect(p.client.GetCloseCode()).toBe(0);
    expect(p.client.GetCloseReason()).toBe('');
  });

  it('sends a close without a code for codes that may not go on the wire (the peer sees 0)', async () => {
    for (const code of [1005, 1006, 1015, 999, 5000, 65536 + 1000, 2 ** 32 + 1000]) {
      const p = await pair();
      p.client.Close(code, 'not sent');
      await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed && p.server.GetReadyState() === State.Closed);
      expect(p.server.GetCloseCode(), String(code)).toBe(0);
      expect(p.server.GetCloseReason()).toBe('');
    }
  });

  it('drops at once with Close(-1): no close frame, the other side sees -1', async () => {
    const p = await pair();
    p.client.Close(-1);
    expect(p.client.GetReadyState()).toBe(State.Closed);
    expect(p.client.GetCloseCode()).toBe(-1);
    await pollUntil([p.server], () => p.server.GetReadyState() === State.Closed);
    expect(p.server.GetCloseCode()).toBe(-1);
  });

  it('ignores Close() while Closing and Closed', async () => {
    const p = await pair();
    p.client.Close(4000, 'first');
    p.client.Close(4002, 'second');
    await pollUntil([p.client, p.server], () => p.server.GetReadyState() === State.Closed && p.client.GetReadyState() === State.Closed);
    expect(p.server.GetCloseCode()).toBe(4000);
    p.client.Close(1000);
    expect(p.client.GetReadyState()).toBe(State.Closed);
  });

  it('delivers messages that arrive together with the close frame (Godot 4.4 loses them)', async () => {
    const p = await pair();
    p.server.SendText('one');
    p.server.SendText('two');
    p.server.Close(1000, 'done');
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed);
    expect(p.client.GetAvailablePacketCount()).toBe(2);
    expect(str(p.client.GetPacket())).toBe('one');
    expect(str(p.client.GetPacket())).toBe('two');
    expect(p.client.GetPacket().length).toBe(0);
    expect(p.client.GetPacketError()).toBe(Error.Failed);
  });

  it('cuts a reason longer than 123 bytes at a character boundary', async () => {
    const p = await pair();
    p.client.Close(1000, 'é'.repeat(100));
    await pollUntil([p.client, p.server], () => p.server.GetReadyState() === State.Closed);
    expect(p.server.GetCloseReason()).toBe('é'.repeat(61));
  });

  it('closes with 1009 "Message too big" when a message exceeds InboundBufferSize', async () => {
    const p = await pair({ configureClient: (c) => { c.InboundBufferSize = 100; } });
    expect(p.server.Send(new Uint8Array(101))).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed && p.server.GetReadyState() === State.Closed);
    expect(p.client.GetCloseCode()).toBe(1009);
    expect(p.client.GetCloseReason()).toBe('Message too big');
    expect(p.server.GetCloseCode()).toBe(1009);
  });

  it('can connect again after a close', async () => {
    const p = await pair();
    p.client.Close();
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed);
    expect(p.client.ConnectToUrl(`ws://127.0.0.1:${p.port}/again`)).toBe(Error.Ok);
    expect(p.client.GetCloseCode()).toBe(-1);
    const server = new WebSocketPeer();
    await pollUntil([p.client], () => {
      if (p.tcpServer.IsConnectionAvailable()) server.AcceptStream(p.tcpServer.TakeConnection());
      server.Poll();
      return p.client.GetReadyState() === State.Open;
    });
    expect(server.GetRequestedUrl()).toBe(`ws://127.0.0.1:${p.port}/again`);
    server.Dispose();
  });
});

describe('subprotocols and headers (spec §5.3, §6.3)', () => {
  it('selects the first offered protocol the server supports', async () => {
    const p = await pair({
      configureClient: (c) => { c.SupportedProtocols = ['alpha', 'beta', 'gamma']; },
      configureServer: (s) => { s.SupportedProtocols = ['gamma', 'beta']; },
    });
    expect(p.client.GetSelectedProtocol()).toBe('beta');
    expect(p.server.GetSelectedProtocol()).toBe('beta');
  });

  it.each([
    [['chat'], [] as string[]],
    [[] as string[], ['chat']],
    [['chat'], ['game']],
  ])('refuses client %j against server %j', async (offered, supported) => {
    await expect(pair({
      configureClient: (c) => { c.SupportedProtocols = offered; },
      configureServer: (s) => { s.SupportedProtocols = supported; },
    })).rejects.toThrow(/closed during the handshake/);
  });

  it('sends HandshakeHeaders in the request and the 101 response', async () => {
    const tcp = new TcpServer();
    tcp.Listen(0, '127.0.0.1');
    const server = new WebSocketPeer();
    server.HandshakeHeaders = ['X-Server: yes'];
    const raw = await rawRequest(tcp.GetLocalPort(), [
      'GET /h HTTP/1.1', 'Host: x', 'Upgrade: websocket', 'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', '', '',
    ].join('\r\n'), server, tcp);
    expect(raw).toMatch(/^HTTP\/1\.1 101 /);
    expect(raw).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    expect(raw).toContain('X-Server: yes\r\n');
    server.Dispose();
    tcp.Stop();
  });
});

describe('hostile handshakes', () => {
  it.each([
    ['garbage', 'hello\r\n\r\n', /^HTTP\/1\.1 400 /],
    ['wrong version', 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n', /^HTTP\/1\.1 426 [\s\S]*Sec-WebSocket-Version: 13/],
    ['a bad key', 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n', /^HTTP\/1\.1 400 /],
    ['an oversized head', 'GET / HTTP/1.1\r\nX-Big: ' + 'a'.repeat(5000) + '\r\n\r\n', /^HTTP\/1\.1 431 /],
    ['an oversized request line', 'GET /' + 'a'.repeat(5000) + ' HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 414 /],
    ['no Host', 'GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n', /^HTTP\/1\.1 400 [\s\S]*Host/],
  ])('answers %s with an HTTP error and ends Closed', async (_name, request, expected) => {
    const tcp = new TcpServer();
    tcp.Listen(0, '127.0.0.1');
    const server = new WebSocketPeer();
    const raw = await rawRequest(tcp.GetLocalPort(), request, server, tcp);
    expect(raw).toMatch(expected);
    expect(server.GetReadyState()).toBe(State.Closed);
    expect(server.GetCloseCode()).toBe(-1);
    server.Dispose();
    tcp.Stop();
  });

  it('fails a client whose server answers with a wrong accept key', async () => {
    const tcp = new TcpServer();
    tcp.Listen(0, '127.0.0.1');
    const client = new WebSocketPeer();
    client.ConnectToUrl(`ws://127.0.0.1:${tcp.GetLocalPort()}/`);
    let stream: StreamPeerTcp | null = null;
    await pollUntil([client], () => {
      if (!stream && tcp.IsConnectionAvailable()) stream = tcp.TakeConnection();
      if (stream && stream.GetAvailableBytes() > 0) {
        stream.PutData(text('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n'));
        stream.GetPartialData(4096);
      }
      return client.GetReadyState() === State.Closed;
    });
    expect(client.GetCloseCode()).toBe(-1);
    // The codec's stable result name first, then its sentence.
    expect(client.GetCloseReason()).toMatch(/^BAD_ACCEPT: .*accept/i);
    stream!.DisconnectFromHost();
    tcp.Stop();
  });

  it('fails a connection that stays Connecting past HandshakeTimeout', async () => {
    const tcp = new TcpServer();
    tcp.Listen(0, '127.0.0.1');
    const client = new WebSocketPeer();
    client.HandshakeTimeout = 0.1;
    client.ConnectToUrl(`ws://127.0.0.1:${tcp.GetLocalPort()}/`);
    const started = Date.now();
    await pollUntil([client], () => client.GetReadyState() === State.Closed, 3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(client.GetCloseReason()).toMatch(/timed out/);
    tcp.Stop();
  });
});

describe('protocol violations from the peer (spec §8, §9.2)', () => {
  /** A raw TCP client that completed the upgrade with our server peer. */
  const rawClient = () => openRawClient();

  it.each([
    ['an unmasked frame', '810568656c6c6f', 1002, 'Protocol error'],
    ['reserved bits', 'c18000000000', 1002, 'Protocol error'],
    ['a control frame over 125 bytes', '89fe007e00000000' + '00'.repeat(126), 1002, 'Protocol error'],
    ['invalid UTF-8 in a text message', '818200000000c328', 1007, 'Invalid frame payload data'],
    ['a 1-byte close body', '888100000000' + '03', 1002, 'Protocol error'],
  ])('answers %s with close %i and reports it', async (_name, hex, code, reason) => {
    const c = await rawClient();
    c.socket.write(Buffer.from(hex, 'hex'));
    await pollUntil([c.server], () => c.server.GetReadyState() === State.Closed);
    expect(c.server.GetCloseCode()).toBe(code);
    expect(c.server.GetCloseReason()).toBe(reason);
    await pollUntil([], () => c.frames().length >= 4 && c.ended());
    const frame = c.frames();
    expect(frame[0]).toBe(0x88);
    expect(frame.readUInt16BE(2)).toBe(code);
    c.socket.destroy();
    c.server.Dispose();
    c.tcp.Stop();
  });

  it('echoes a close code 1012 (IANA: service restart) as a clean close', async () => {
    const c = await rawClient();
    c.socket.write(Buffer.from('888200000000' + '03f4', 'hex'));
    await pollUntil([c.server], () => c.server.GetReadyState() === State.Closed);
    expect(c.server.GetCloseCode()).toBe(1012);
    c.socket.destroy();
    c.server.Dispose();
    c.tcp.Stop();
  });
});

describe('connection facts', () => {
  it('reports the remote address while connected and forgets it once closed or failed, as Godot', async () => {
    const p = await pair();
    expect(p.client.GetConnectedHost()).toBe('127.0.0.1');
    expect(p.client.GetConnectedPort()).toBe(p.port);
    expect(p.server.GetConnectedHost()).toBe('127.0.0.1');
    p.client.Close();
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed && p.server.GetReadyState() === State.Closed);
    expect([p.client.GetConnectedHost(), p.client.GetConnectedPort()]).toEqual(['', 0]);
    expect([p.server.GetConnectedHost(), p.server.GetConnectedPort()]).toEqual(['', 0]);
    const refused = new WebSocketPeer();
    const tcp = new TcpServer();
    tcp.Listen(0, '127.0.0.1');
    const port = tcp.GetLocalPort();
    tcp.Stop();
    expect(refused.ConnectToUrl(`ws://127.0.0.1:${port}/`)).toBe(Error.Ok);
    await pollUntil([refused], () => refused.GetReadyState() === State.Closed);
    expect([refused.GetConnectedHost(), refused.GetConnectedPort()]).toEqual(['', 0]);
  });

  it('reports no host, port 0 and warns when there is no connection', () => {
    const peer = new WebSocketPeer();
    expect(peer.GetConnectedHost()).toBe('');
    expect(peer.GetConnectedPort()).toBe(0);
    expect(() => peer.SetNoDelay(true)).not.toThrow();
  });

  it('keeps the selected protocol after close and resets it, WasStringPacket and the close code on connect', async () => {
    const p = await pair({
      configureClient: (c) => { c.SupportedProtocols = ['chat']; },
      configureServer: (s) => { s.SupportedProtocols = ['chat']; },
    });
    p.server.SendText('t');
    await pollUntil([p.client, p.server], () => p.client.GetAvailablePacketCount() === 1);
    p.client.GetPacket();
    expect(p.client.WasStringPacket()).toBe(true);
    p.client.Close(4000);
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed);
    expect(p.client.GetSelectedProtocol()).toBe('chat');
    expect(p.client.WasStringPacket()).toBe(true);
    expect(p.client.ConnectToUrl(`ws://127.0.0.1:${p.port}/`)).toBe(Error.Ok);
    expect(p.client.GetSelectedProtocol()).toBe('');
    expect(p.client.WasStringPacket()).toBe(false);
    expect(p.client.GetCloseCode()).toBe(-1);
    p.client.Close(-1);
  });
});

describe('heartbeat', () => {
  it('measures the round trip with pings and keeps a live peer open', async () => {
    const p = await pair({ configureClient: (c) => { c.HeartbeatInterval = 0.02; } });
    await pollFor([p.client, p.server], 150);
    expect(p.client.GetReadyState()).toBe(State.Open);
    expect(p.client.GetRoundTripTime()).toBeGreaterThanOrEqual(0);
  });

  it('drops a peer that stops answering pings (close code -1)', async () => {
    const p = await pair({ configureClient: (c) => { c.HeartbeatInterval = 0.03; } });
    // The server is never polled again, so no pong comes back.
    await pollUntil([p.client], () => p.client.GetReadyState() === State.Closed, 2000);
    expect(p.client.GetCloseCode()).toBe(-1);
  });

  it('drops a silent peer after PongTimeout even with a long interval', async () => {
    const p = await pair({ configureClient: (c) => { c.HeartbeatInterval = 0.02; c.PongTimeout = 0.05; } });
    await pollFor([p.client, p.server], 60);
    const started = Date.now();
    await pollUntil([p.client], () => p.client.GetReadyState() === State.Closed, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('dead and misbehaving peers', () => {
  it('ends Closed (-1) when the TCP connection drops without a close frame', async () => {
    const p = await pair();
    const tcp = (p.server as unknown as { connection: { tcp: StreamPeerTcp } }).connection.tcp;
    tcp.DisconnectFromHost();
    await pollUntil([p.client], () => p.client.GetReadyState() === State.Closed);
    expect(p.client.GetCloseCode()).toBe(-1);
  });
});

describe('bulk transfer', () => {
  it('echoes 40 MiB of 1 MiB messages with no limits, both ends backed up, without stalling', async () => {
    const unlimited = (peer: WebSocketPeer) => { peer.InboundBufferSize = 2 << 20; peer.OutboundBufferSize = 0; };
    const p = await pair({ configureClient: unlimited, configureServer: unlimited });
    const message = new Uint8Array(1 << 20).fill(7);
    for (let i = 0; i < 40; i++) expect(p.client.Send(message)).toBe(Error.Ok);
    let echoed = 0;
    await pollUntil([p.client, p.server], () => {
      while (p.server.GetAvailablePacketCount() > 0) p.server.Send(p.server.GetPacket());
      while (p.client.GetAvailablePacketCount() > 0) {
        expect(p.client.GetPacket().length).toBe(1 << 20);
        echoed++;
      }
      return echoed === 40;
    }, 15_000, '40 echoes');
  }, 20_000);
});

describe('ping flood', () => {
  it('stops reading a peer that sends pings but never reads the pongs, and keeps memory bounded', async () => {
    const tcp = new TcpServer();
    tcp.Listen(0, '127.0.0.1');
    const server = new WebSocketPeer();
    const socket: Socket = rawConnect({ port: tcp.GetLocalPort(), host: '127.0.0.1' });
    socket.on('error', () => {});
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    socket.pause(); // never read: our pongs fill the kernel buffers, then Node's socket buffer
    await pollUntil([server], () => {
      if (tcp.IsConnectionAvailable()) server.AcceptStream(tcp.TakeConnection());
      return server.GetReadyState() === State.Open;
    });
    // 125-byte masked pings (mask key 0), written as fast as the socket takes them.
    const ping = Buffer.concat([Buffer.from([0x89, 0x80 | 125, 0, 0, 0, 0]), Buffer.alloc(125, 0x61)]);
    const burst = Buffer.concat(Array.from({ length: 4096 }, () => ping));
    const pipe = () => (server as unknown as { connection: { pipe: { writableLength: number } } }).connection.pipe;
    let written = 0;
    let maxBacklog = 0;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && written < 256 * 1024 * 1024) {
      if (socket.writableLength < 4 * 1024 * 1024) { socket.write(burst); written += burst.length; }
      server.Poll();
      maxBacklog = Math.max(maxBacklog, pipe().writableLength);
      await sleep(1);
    }
    expect(server.GetReadyState()).toBe(State.Open);
    // 1 MiB of backlog plus 1 MiB of pongs, plus the pongs of one poll's input (reading stops after it).
    expect(maxBacklog).toBeLessThan(2 * 1024 * 1024 + 16 * 1024 * 1024);
    expect(written).toBeLessThan(256 * 1024 * 1024); // TCP pushed the flood back
    socket.destroy();
    server.Dispose();
    tcp.Stop();
  });
});

describe('read-ahead between polls', () => {
  it('holds at most InboundBufferSize + 256 KiB of unread bytes while not polled, and loses nothing', async () => {
    const raw = await openRawClient();
    try {
      const { server, socket } = raw;
      const pipe = (server as unknown as { connection: { pipe: { bufferedBytes: number } } }).connection.pipe;
      // 4 MiB of 1000-byte masked binary frames (mask key 0), each payload numbered.
      const count = 4096;
      const frames = Buffer.concat(Array.from({ length: count }, (_, i) => {
        const frame = Buffer.alloc(4 + 4 + 1000, 0);
        frame[0] = 0x82;
        frame[1] = 0x80 | 126;
        frame.writeUInt16BE(1000, 2);
        frame.writeUInt32BE(i, 8);
        return frame;
      }));
      socket.write(frames);
      // Not polled: the pipe reads until its limit and then stops reading the socket.
      let most = 0;
      for (let turn = 0; turn < 200; turn++) {
        await sleep(2);
        most = Math.max(most, pipe.bufferedBytes);
      }
      const limit = server.InboundBufferSize + 256 * 1024;
      expect(most).toBeGreaterThan(limit); // it did read up to the limit (the check can fail)
      expect(most).toBeLessThanOrEqual(limit + 64 * 1024); // at most one socket read beyond it
      // Polling takes every message, in order.
      let next = 0;
      await pollUntil([server], () => {
        while (server.GetAvailablePacketCount() > 0) {
          const packet = Buffer.from(server.GetPacket());
          expect(packet.length).toBe(1000);
          expect(packet.readUInt32BE(0)).toBe(next++);
        }
        return next === count;
      }, 10_000, 'all 4096 messages');
      expect(server.GetReadyState()).toBe(State.Open);
    } finally {
      raw.close();
    }
  });
});

describe('the socket after Closed', () => {
  /** A server peer (InboundBufferSize 1024) failed with 1009 by a 4 KiB frame: its reading was paused. */
  async function failedWith1009(clientReads = true) {
    const raw = await openRawClient((peer) => { peer.InboundBufferSize = 1024; });
    if (!clientReads) raw.socket.pause(); // never sees our FIN, so never closes its side
    const socket = (raw.server as unknown as { connection: { pipe: { socket: Socket } } }).connection.pipe.socket;
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
    raw.socket.write(Buffer.concat([Buffer.from([0x82, 0x80 | 126, 0x10, 0, 0, 0, 0, 0]), Buffer.alloc(4096)]));
    await pollUntil([raw.server], () => raw.server.GetReadyState() === State.Closed);
    expect(raw.server.GetCloseCode()).toBe(1009);
    return { raw, socket, closed, at: performance.now() };
  }

  it('is released when the peer closes its side, although reading was paused for back-pressure', async () => {
    const { raw, socket, closed, at } = await failedWith1009();
    try {
      // Bytes that arrive after reading paused wait in Node's stream buffer, in front of the FIN.
      raw.socket.end(Buffer.alloc(1024));
      const when = await Promise.race([closed, sleep(LINGER_MS + 1000).then(() => -1)]);
      expect(when).toBeGreaterThan(0);
      expect(when - at).toBeLessThan(LINGER_MS / 2); // the peer's FIN was read, not the linger timer
      expect(socket.destroyed).toBe(true);
    } finally {
      raw.close();
    }
  });

  it(`is dropped LINGER_MS (${LINGER_MS} ms) after our FIN when the peer never closes its side`, async () => {
    const { raw, socket, closed, at } = await failedWith1009(false);
    try {
      const when = await Promise.race([closed, sleep(LINGER_MS + 1000).then(() => -1)]);
      expect(when).toBeGreaterThan(0);
      expect(when - at).toBeGreaterThanOrEqual(LINGER_MS - 50);
      expect(raw.ended()).toBe(false); // the client did not close it
      expect(socket.destroyed).toBe(true);
    } finally {
      raw.close();
    }
  });
});

/** Sends raw bytes to a server peer that accepts the connection; returns what came back. */
async function rawRequest(port: number, request: string, server: WebSocketPeer, tcp: TcpServer): Promise<string> {
  const socket: Socket = rawConnect(port, '127.0.0.1');
  let received = '';
  let ended = false;
  socket.on('data', (d) => { received += d.toString('latin1'); });
  socket.on('close', () => { ended = true; });
  socket.on('error', () => { ended = true; });
  socket.write(request);
  let accepted = false;
  await pollUntil([], () => {
    if (!accepted && tcp.IsConnectionAvailable()) {
      server.AcceptStream(tcp.TakeConnection());
      accepted = true;
    }
    server.Poll();
    return received.includes('\r\n\r\n') && (ended || server.GetReadyState() === State.Open);
  }, 3000, 'a response');
  socket.destroy();
  return received;
}
