// Godot writes each frame to the socket at once and counts, for MaxQueuedPackets and
// OutboundBufferSize, only what the OS has not taken. We batch frames into one write per poll,
// but flush before refusing and before reporting the buffered amount, so a burst of sends in one
// frame behaves as in Godot; the limits still hold against a peer that does not read. And the
// inbound settings take effect when a connection opens, never on the live connection.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Error, WebSocketPeer } from '../src/index.js';
import { native } from '../src/native/addon.js';
import { pollFor, pollUntil } from './helpers/loop.js';
import { openPair, type Pair } from './helpers/pair.js';

const { State } = WebSocketPeer;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

async function pair(options?: Parameters<typeof openPair>[0]): Promise<Pair> {
  const p = await openPair(options);
  cleanups.push(() => p.close());
  return p;
}

/**
 * A server that completes the upgrade and then never reads again: TCP fills the kernel buffers,
 * then whatever the client writes stays with the client.
 */
async function nonReadingPeer(configure?: (client: WebSocketPeer) => void): Promise<WebSocketPeer> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    let head = '';
    const onData = (data: Buffer) => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)![1]!;
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${native.computeAccept(key)}\r\n\r\n`);
    };
    socket.on('data', onData);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new WebSocketPeer();
  configure?.(client);
  cleanups.push(() => {
    client.Dispose();
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  expect(client.ConnectToUrl(`ws://127.0.0.1:${(server.address() as { port: number }).port}/`)).toBe(Error.Ok);
  await pollUntil([client], () => client.GetReadyState() === State.Open, 5000, 'client Open');
  return client;
}

describe('burst sends (what the OS has not taken counts, as in Godot)', () => {
  it('accepts 20 sends of 10 KB in one turn to a reading peer, and delivers them all', async () => {
    const p = await pair({ configureServer: (s) => { s.InboundBufferSize = 1 << 20; } });
    const messages = Array.from({ length: 20 }, (_, i) => new Uint8Array(10_000).fill(i));
    for (const message of messages) expect(p.client.Send(message)).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 20);
    for (const message of messages) expect(Buffer.from(p.server.GetPacket()).equals(Buffer.from(message))).toBe(true);
  });

  it('accepts 5,000 small sends in one turn to a reading peer, and delivers them in order', async () => {
    // The receiving peer's own queue holds MaxQueuedPackets packets: room for all 5,000.
    const p = await pair({ configureClient: (c) => { c.MaxQueuedPackets = 8192; } });
    for (let i = 0; i < 5000; i++) expect(p.server.SendText(`m${i}`), `send ${i}`).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.client.GetAvailablePacketCount() === 5000);
    for (let i = 0; i < 5000; i++) expect(new TextDecoder().decode(p.client.GetPacket())).toBe(`m${i}`);
  });

  it('reports as buffered only what the socket has not taken', async () => {
    const p = await pair();
    expect(p.client.Send(new Uint8Array(1000))).toBe(Error.Ok);
    // Loopback takes 1000 bytes at once: nothing is left for the OS to accept.
    expect(p.client.GetCurrentOutboundBufferedAmount()).toBe(0);
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 1);
  });

  it('still refuses with OutOfMemory once a peer that does not read lets OutboundBufferSize fill', async () => {
    const client = await nonReadingPeer();
    const message = new Uint8Array(10_000);
    let sent = 0;
    let result = Error.Ok;
    // The kernel's buffers take a few MB; after that the socket keeps the rest.
    for (; sent < 20_000 && result === Error.Ok; sent++) {
      result = client.Send(message);
      if (sent % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(result).toBe(Error.OutOfMemory);
    expect(sent).toBeLessThan(20_000);
    const buffered = client.GetCurrentOutboundBufferedAmount();
    expect(buffered).toBeGreaterThan(0);
    expect(buffered + message.length).toBeGreaterThan(65535);
    expect(buffered).toBeLessThanOrEqual(65535);
    // Still refused later: nothing was taken meanwhile.
    await pollFor([client], 30);
    expect(client.Send(message)).toBe(Error.OutOfMemory);
  });

  it('still refuses with OutOfMemory once MaxQueuedPackets frames wait for a peer that does not read', async () => {
    const client = await nonReadingPeer((c) => {
      c.OutboundBufferSize = 0;
      c.MaxQueuedPackets = 10;
    });
    const message = new Uint8Array(1000);
    let sent = 0;
    let result = Error.Ok;
    for (; sent < 100_000 && result === Error.Ok; sent++) {
      result = client.Send(message);
      if (sent % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(result).toBe(Error.OutOfMemory);
    expect(client.GetCurrentOutboundBufferedAmount()).toBeLessThanOrEqual(10 * 1000);
    expect(client.GetCurrentOutboundBufferedAmount()).toBeGreaterThan(0);
  });

  it('refuses every send with MaxQueuedPackets 0 and none with a negative one (Godot compares unsigned)', async () => {
    const p = await pair();
    p.client.MaxQueuedPackets = 0;
    expect(p.client.SendText('never')).toBe(Error.OutOfMemory);
    p.client.MaxQueuedPackets = -1;
    expect(p.client.SendText('sent')).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 1);
    expect(new TextDecoder().decode(p.server.GetPacket())).toBe('sent');
  });
});

describe('large messages (framed into a Buffer of their own, written after the batch)', () => {
  const sizes = [10, 20_000, 5, 70_000, 1_000, 16_384, 16_383, 2_000_000, 0, 65_536];
  const payload = (size: number, seed: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + seed) & 0xff));

  it('sends large and small messages mixed in one turn in order, byte-exact, both ways', async () => {
    const configure = (peer: WebSocketPeer) => {
      peer.InboundBufferSize = 8 << 20;
      peer.OutboundBufferSize = 0;
    };
    const p = await pair({ configureClient: configure, configureServer: configure });
    for (const [from, to] of [[p.client, p.server], [p.server, p.client]] as const) {
      sizes.forEach((size, i) => expect(from.Send(payload(size, i))).toBe(Error.Ok));
      const text = 'é'.repeat(12_000); // 24,000 bytes of UTF-8
      expect(from.SendText(text)).toBe(Error.Ok);
      await pollUntil([p.client, p.server], () => to.GetAvailablePacketCount() === sizes.length + 1);
      sizes.forEach((size, i) => expect(Buffer.from(to.GetPacket()).equals(payload(size, i)), `message ${i}`).toBe(true));
      expect(new TextDecoder().decode(to.GetPacket())).toBe(text);
      expect(to.WasStringPacket()).toBe(true);
    }
  });

  it('sends what the payload held at Send(), whatever is done to it afterwards (Godot copies it)', async () => {
    const p = await pair({ configureServer: (s) => { s.InboundBufferSize = 1 << 20; }, configureClient: (c) => { c.OutboundBufferSize = 0; } });
    const large = payload(200_000, 3);
    const small = payload(100, 4);
    expect(p.client.Send(large)).toBe(Error.Ok);
    expect(p.client.Send(small)).toBe(Error.Ok);
    large.fill(0);
    small.fill(0);
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 2);
    expect(Buffer.from(p.server.GetPacket()).equals(payload(200_000, 3))).toBe(true);
    expect(Buffer.from(p.server.GetPacket()).equals(payload(100, 4))).toBe(true);
  });

  it('refuses large text that is not UTF-8 with InvalidParameter and sends nothing', async () => {
    const p = await pair();
    const bad = Buffer.alloc(40_000, 0x61);
    bad[30_000] = 0xff;
    expect(p.client.Send(bad, WebSocketPeer.WriteMode.Text)).toBe(Error.InvalidParameter);
    expect(p.client.SendText('after')).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.server.GetAvailablePacketCount() === 1);
    expect(new TextDecoder().decode(p.server.GetPacket())).toBe('after');
  });

  it('still refuses with OutOfMemory once a peer that does not read lets OutboundBufferSize fill', async () => {
    const client = await nonReadingPeer((c) => { c.OutboundBufferSize = 200_000; });
    const message = new Uint8Array(40_000);
    let sent = 0;
    let result = Error.Ok;
    for (; sent < 5_000 && result === Error.Ok; sent++) {
      result = client.Send(message);
      if (sent % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(result).toBe(Error.OutOfMemory);
    const buffered = client.GetCurrentOutboundBufferedAmount();
    expect(buffered).toBeGreaterThan(0);
    expect(buffered + message.length).toBeGreaterThan(200_000);
    expect(buffered).toBeLessThanOrEqual(200_000);
    await pollFor([client], 30);
    expect(client.Send(message)).toBe(Error.OutOfMemory);
  });
});

describe('settings take effect when a connection opens', () => {
  it('lowering InboundBufferSize while Open does not stall or refuse messages', async () => {
    const p = await pair();
    p.client.InboundBufferSize = 10;
    expect(p.server.Send(new Uint8Array(1000).fill(7))).toBe(Error.Ok);
    await pollUntil([p.client, p.server], () => p.client.GetAvailablePacketCount() === 1);
    expect(p.client.GetPacket().length).toBe(1000);
    expect(p.client.GetReadyState()).toBe(State.Open);
  });

  it('changing OutboundBufferSize while Open leaves the inbound message limit as it was at open', async () => {
    // Lowered InboundBufferSize, then OutboundBufferSize touched: the 1000-byte message still fits.
    const lowered = await pair();
    lowered.client.InboundBufferSize = 10;
    lowered.client.OutboundBufferSize = 70_000;
    expect(lowered.server.Send(new Uint8Array(1000))).toBe(Error.Ok);
    await pollUntil([lowered.client, lowered.server], () => lowered.client.GetAvailablePacketCount() === 1);
    expect(lowered.client.GetReadyState()).toBe(State.Open);
    // Raised InboundBufferSize, then OutboundBufferSize touched: a message over the limit at open
    // is still refused with 1009, as Godot does.
    const raised = await pair({ configureClient: (c) => { c.InboundBufferSize = 100; } });
    raised.client.InboundBufferSize = 100_000;
    raised.client.OutboundBufferSize = 70_000;
    expect(raised.server.Send(new Uint8Array(500))).toBe(Error.Ok);
    await pollUntil([raised.client, raised.server], () => raised.client.GetReadyState() === State.Closed);
    expect(raised.client.GetCloseCode()).toBe(1009);
    expect(raised.client.GetAvailablePacketCount()).toBe(0);
  });

  it('changing MaxQueuedPackets while Open does not change how many packets one connection queues', async () => {
    const small = await pair({ configureClient: (c) => { c.MaxQueuedPackets = 3; } });
    small.client.MaxQueuedPackets = 100;
    for (let i = 0; i < 10; i++) expect(small.server.SendText(`s${i}`)).toBe(Error.Ok);
    await pollFor([small.client, small.server], 100);
    expect(small.client.GetAvailablePacketCount()).toBe(3);
    const large = await pair();
    large.client.MaxQueuedPackets = 2;
    for (let i = 0; i < 10; i++) expect(large.server.SendText(`l${i}`)).toBe(Error.Ok);
    await pollUntil([large.client, large.server], () => large.client.GetAvailablePacketCount() === 10);
  });

  it('a new connection uses the settings as they are when it opens', async () => {
    const p = await pair();
    p.client.InboundBufferSize = 100;
    p.client.Close();
    await pollUntil([p.client, p.server], () => p.client.GetReadyState() === State.Closed);
    const again = await pair({ configureClient: (c) => { c.InboundBufferSize = 100; } });
    expect(again.server.Send(new Uint8Array(101))).toBe(Error.Ok);
    await pollUntil([again.client, again.server], () => again.client.GetReadyState() === State.Closed);
    expect(again.client.GetCloseCode()).toBe(1009);
  });
});
