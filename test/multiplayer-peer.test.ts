// WebSocketMultiplayerPeer between Node peers on loopback: ids, routing, leaving, timeouts, limits.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CryptoKey, Error, MultiplayerPeer, TcpServer, TlsOptions, WebSocketMultiplayerPeer, WebSocketPeer, X509Certificate,
} from '../src/index.js';
import { createTestPki } from './helpers/certs.js';
import { pollFor, pollUntil } from './helpers/loop.js';
import { connectClientPeer, startServerPeer, urlOf } from './helpers/multiplayer.js';

const { ConnectionStatus } = MultiplayerPeer;
const open: { Close(): void }[] = [];
afterEach(() => {
  for (const peer of open.splice(0)) peer.Close();
});

function track<T extends { Close(): void }>(peer: T): T {
  open.push(peer);
  return peer;
}

function events(peer: MultiplayerPeer): string[] {
  const seen: string[] = [];
  peer.PeerConnected.Connect((id) => seen.push(`connected ${id}`));
  peer.PeerDisconnected.Connect((id) => seen.push(`disconnected ${id}`));
  return seen;
}

function readAll(peer: MultiplayerPeer): [number, string][] {
  const out: [number, string][] = [];
  while (peer.GetAvailablePacketCount() > 0) {
    const from = peer.GetPacketPeer();
    out.push([from, Buffer.from(peer.GetPacket()).toString()]);
  }
  return out;
}

describe('WebSocketMultiplayerPeer', () => {
  it('has Godot defaults and refuses a second start', () => {
    const peer = new WebSocketMultiplayerPeer();
    expect(peer.GetConnectionStatus()).toBe(ConnectionStatus.Disconnected);
    expect(peer.GetUniqueId()).toBe(0);
    expect(peer.HandshakeTimeout).toBe(3);
    expect(peer.InboundBufferSize).toBe(65535);
    expect(peer.OutboundBufferSize).toBe(65535);
    expect(peer.MaxQueuedPackets).toBe(4096);
    expect(peer.SupportedProtocols).toEqual([]);
    expect(peer.TransferMode).toBe(MultiplayerPeer.TransferModeEnum.Reliable);
    expect(peer.TransferChannel).toBe(0);
    expect(peer.GetMaxPacketSize()).toBe(65535 - 9);
    expect(peer.IsServerRelaySupported()).toBe(true);
    expect(peer.PutPacket(Uint8Array.of(1))).toBe(Error.Unconfigured);
    expect(peer.CreateClient('http://127.0.0.1/')).toBe(Error.InvalidParameter);
    track(peer);
    expect(peer.CreateServer(0, '127.0.0.1')).toBe(Error.Ok);
    expect(peer.IsServer()).toBe(true);
    expect(peer.GetUniqueId()).toBe(1);
    expect(peer.GetConnectionStatus()).toBe(ConnectionStatus.Connected);
    expect(peer.CreateServer(0, '127.0.0.1')).toBe(Error.AlreadyInUse);
    expect(peer.CreateClient('ws://127.0.0.1:1/')).toBe(Error.AlreadyInUse);
    peer.Close();
    expect(peer.GetConnectionStatus()).toBe(ConnectionStatus.Disconnected);
  });

  it('gives each client its own id in [2, 2^31 - 1] as a 4-byte first message and announces it on both sides', async () => {
    const server = track(startServerPeer());
    const serverEvents = events(server);
    const a = track(await connectClientPeer(server));
    const aEvents = events(a);
    const b = track(await connectClientPeer(server, [a]));
    const ids = [a.GetUniqueId(), b.GetUniqueId()];
    for (const id of ids) {
      expect(id).toBeGreaterThanOrEqual(2);
      expect(id).toBeLessThanOrEqual(0x7fffffff);
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(serverEvents).toEqual([`connected ${ids[0]}`, `connected ${ids[1]}`]);
    expect(a.IsServer()).toBe(false);
    expect(server.GetPeer(ids[0]!)).toBeInstanceOf(WebSocketPeer);
    expect(server.GetPeerAddress(ids[0]!)).toBe('127.0.0.1');
    expect(server.GetPeerPort(ids[0]!)).toBeGreaterThan(0);
    expect(server.GetPeer(12345)).toBeNull();
    expect(aEvents).toEqual([]); // peer_connected(1) came before we listened
  });

  it('never hands out an id that is in use, even when the generator repeats itself', async () => {
    class Repeating extends WebSocketMultiplayerPeer {
      private readonly script = [7, 7, 7, 9];
      override GenerateUniqueId(): number {
        return this.script.shift() ?? 11;
      }
    }
    const server = track(new Repeating());
    server.CreateServer(0, '127.0.0.1');
    const a = track(await connectClientPeer(server));
    const b = track(await connectClientPeer(server, [a]));
    expect([a.GetUniqueId(), b.GetUniqueId()]).toEqual([7, 9]);
  });

  it('routes packets: to one client, to all, to all but one; a client always reaches the server', async () => {
    const server = track(startServerPeer());
    const a = track(await connectClientPeer(server));
    const b = track(await connectClientPeer(server, [a]));
    const [idA, idB] = [a.GetUniqueId(), b.GetUniqueId()];

    server.SetTargetPeer(idA);
    expect(server.PutPacket(Buffer.from('to a'))).toBe(Error.Ok);
    server.SetTargetPeer(0);
    expect(server.PutPacket(Buffer.from('to all'))).toBe(Error.Ok);
    server.SetTargetPeer(-idA);
    expect(server.PutPacket(Buffer.from('all but a'))).toBe(Error.Ok);
    server.SetTargetPeer(999);
    expect(server.PutPacket(Buffer.from('nobody'))).toBe(Error.InvalidParameter);

    a.SetTargetPeer(idB); // ignored: a client's packets go to the server
    expect(a.PutPacket(Buffer.from('from a'))).toBe(Error.Ok);
    expect(b.PutPacket(Buffer.from('from b'))).toBe(Error.Ok);

    const got = { a: [] as [number, string][], b: [] as [number, string][], server: [] as [number, string][] };
    await pollUntil([server, a, b], () => {
      got.a.push(...readAll(a));
      got.b.push(...readAll(b));
      got.server.push(...readAll(server));
      return got.a.length === 2 && got.b.length === 2 && got.server.length === 2;
    });
    expect(got.a).toEqual([[1, 'to a'], [1, 'to all']]);
    expect(got.b).toEqual([[1, 'to all'], [1, 'all but a']]);
    expect(got.server.sort()).toEqual([[idA, 'from a'], [idB, 'from b']].sort());
    expect(server.GetPacketChannel()).toBe(0);
    expect(server.GetPacketMode()).toBe(MultiplayerPeer.TransferModeEnum.Reliable);
  });

  it('reads the peers in turn, so one busy client cannot starve another', async () => {
    const server = track(startServerPeer());
    const a = track(await connectClientPeer(server));
    const b = track(await connectClientPeer(server, [a]));
    for (let i = 0; i < 50; i++) a.PutPacket(Buffer.from(`a${i}`));
    b.PutPacket(Buffer.from('b0'));
    await pollUntil([server, a, b], () => server.GetAvailablePacketCount() === 51);
    const order = readAll(server).map(([, text]) => text);
    expect(order.indexOf('b0')).toBeLessThan(2);
    expect(order.filter((t) => t.startsWith('a'))).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
    expect(server.GetPacket()).toHaveLength(0);
    expect(server.GetPacketError()).toBe(Error.Unavailable);
  });

  it('delivers what a client sent before it left, then emits peer_disconnected on the server', async () => {
    const server = track(startServerPeer());
    const serverEvents = events(server);
    const a = track(await connectClientPeer(server));
    const id = a.GetUniqueId();
    a.PutPacket(Buffer.from('last words'));
    a.GetPeer(1)!.Close(1000, 'bye'); // the packet is queued before the close frame
    const seen: string[] = [];
    await pollUntil([server, a], () => {
      for (const [from, text] of readAll(server)) seen.push(`${from} ${text} (${serverEvents.length} events)`);
      return serverEvents.length === 2;
    });
    expect(seen).toEqual([`${id} last words (1 events)`]);
    expect(serverEvents).toEqual([`connected ${id}`, `disconnected ${id}`]);
  });

  it('a client learns that the server left, with peer_disconnected(1), and ends Disconnected', async () => {
    const server = track(startServerPeer());
    const a = track(await connectClientPeer(server));
    const aEvents = events(a);
    const id = a.GetUniqueId();
    server.DisconnectPeer(id);
    await pollUntil([server, a], () => a.GetConnectionStatus() === ConnectionStatus.Disconnected);
    expect(aEvents).toEqual(['disconnected 1']);
    expect(a.GetUniqueId()).toBe(0);
    expect(a.GetCloseReason()).toBe('');
    expect(a.GetPeer(1)).toBeNull();
  });

  it('DisconnectPeer(id, force) forgets the peer at once without a signal', async () => {
    const server = track(startServerPeer());
    const serverEvents = events(server);
    const a = track(await connectClientPeer(server));
    const id = a.GetUniqueId();
    server.DisconnectPeer(id, true);
    expect(server.GetPeer(id)).toBeNull();
    await pollUntil([server, a], () => a.GetConnectionStatus() === ConnectionStatus.Disconnected);
    await pollFor([server], 50);
    expect(serverEvents).toEqual([`connected ${id}`]);
  });

  it('drops a connection that does not finish its WebSocket handshake within HandshakeTimeout', async () => {
    const server = track(startServerPeer((p) => { p.HandshakeTimeout = 0.2; }));
    const serverEvents = events(server);
    const socket = connect({ port: server.GetLocalPort(), host: '127.0.0.1' });
    let closedAt = 0;
    socket.on('error', () => {});
    socket.on('close', () => { closedAt = Date.now(); });
    const started = Date.now();
    await pollUntil([server], () => closedAt !== 0, 3000, 'the silent connection to be dropped');
    expect(closedAt - started).toBeGreaterThanOrEqual(150);
    expect(serverEvents).toEqual([]);
  });

  it('a client whose server never sends an id gives up after HandshakeTimeout', async () => {
    const tcp = new TcpServer();
    tcp.Listen(0, '127.0.0.1');
    const ws = new WebSocketPeer(); // a WebSocket server that is not a multiplayer server
    const client = track(new WebSocketMultiplayerPeer());
    client.HandshakeTimeout = 0.3;
    const failed: string[] = [];
    client.PeerConnected.Connect(() => failed.push('connected'));
    expect(client.CreateClient(`ws://127.0.0.1:${tcp.GetLocalPort()}/`)).toBe(Error.Ok);
    expect(client.GetConnectionStatus()).toBe(ConnectionStatus.Connecting);
    await pollUntil([client, ws], () => {
      if (tcp.IsConnectionAvailable()) ws.AcceptStream(tcp.TakeConnection());
      return client.GetConnectionStatus() === ConnectionStatus.Disconnected;
    });
    expect(ws.GetReadyState()).not.toBe(WebSocketPeer.State.Connecting); // the WebSocket itself had opened
    expect(client.GetCloseReason()).toBe('handshake timed out');
    expect(failed).toEqual([]);
    tcp.Stop();
  });

  for (const [label, first] of [['3 bytes', Uint8Array.of(2, 0, 0)], ['id 1', Uint8Array.of(1, 0, 0, 0)], ['a negative id', Uint8Array.of(0, 0, 0, 0x80)]] as const) {
    it(`a client refuses ${label} as its id and closes`, async () => {
      const tcp = new TcpServer();
      tcp.Listen(0, '127.0.0.1');
      const ws = new WebSocketPeer();
      const client = track(new WebSocketMultiplayerPeer());
      client.CreateClient(`ws://127.0.0.1:${tcp.GetLocalPort()}/`);
      let sent = false;
      await pollUntil([client, ws], () => {
        if (tcp.IsConnectionAvailable()) ws.AcceptStream(tcp.TakeConnection());
        if (!sent && ws.GetReadyState() === WebSocketPeer.State.Open) sent = ws.PutPacket(first) === Error.Ok;
        return client.GetConnectionStatus() === ConnectionStatus.Disconnected;
      });
      expect(client.GetCloseReason()).toMatch(/valid peer id/);
      expect(ws.GetCloseCode()).toBe(1000);
      tcp.Stop();
    });
  }

  it('holds at most MaxPeers connections and closes the rest at once', async () => {
    const server = track(startServerPeer((p) => { p.MaxPeers = 1; }));
    const a = track(await connectClientPeer(server));
    const b = track(new WebSocketMultiplayerPeer());
    b.CreateClient(urlOf(server));
    await pollUntil([server, a, b], () => b.GetConnectionStatus() === ConnectionStatus.Disconnected);
    expect(a.GetConnectionStatus()).toBe(ConnectionStatus.Connected);
  });

  it('RefuseNewConnections leaves new clients waiting, as in Godot', async () => {
    const server = track(startServerPeer());
    server.RefuseNewConnections = true;
    const b = track(new WebSocketMultiplayerPeer());
    b.HandshakeTimeout = 0.3;
    b.CreateClient(urlOf(server));
    await pollUntil([server, b], () => b.GetConnectionStatus() === ConnectionStatus.Disconnected);
    expect(b.GetCloseReason()).toBe('handshake timed out');
  });

  it('copies its WebSocket settings to every connection', async () => {
    const server = track(startServerPeer((p) => {
      p.SupportedProtocols = ['game'];
      p.InboundBufferSize = 1000;
      p.MaxQueuedPackets = 10;
    }));
    const client = track(new WebSocketMultiplayerPeer());
    client.SupportedProtocols = ['game'];
    client.HandshakeHeaders = ['X-Player: 7'];
    client.CreateClient(urlOf(server));
    await pollUntil([server, client], () => client.GetConnectionStatus() === ConnectionStatus.Connected);
    const ws = server.GetPeer(client.GetUniqueId())!;
    expect(ws.GetSelectedProtocol()).toBe('game');
    expect(ws.InboundBufferSize).toBe(1000);
    expect(ws.MaxQueuedPackets).toBe(10);
    expect(client.GetPeer(1)!.GetSelectedProtocol()).toBe('game');
  });

  it('serves wss:// with TlsOptions.Server, and refuses the wrong kind of options', async () => {
    const pki = createTestPki();
    try {
      const key = new CryptoKey();
      expect(key.LoadFromString(pki.server.key)).toBe(Error.Ok);
      const cert = new X509Certificate();
      expect(cert.LoadFromString(pki.server.chain)).toBe(Error.Ok);
      const ca = new X509Certificate();
      expect(ca.LoadFromString(pki.ca.cert)).toBe(Error.Ok);
      const serverOptions = TlsOptions.Server(key, cert);
      const clientOptions = TlsOptions.Client(ca);
      expect(new WebSocketMultiplayerPeer().CreateServer(0, '127.0.0.1', clientOptions)).toBe(Error.InvalidParameter);
      expect(new WebSocketMultiplayerPeer().CreateClient('wss://localhost:1/', serverOptions)).toBe(Error.InvalidParameter);

      const server = track(new WebSocketMultiplayerPeer());
      expect(server.CreateServer(0, '127.0.0.1', serverOptions)).toBe(Error.Ok);
      const client = track(new WebSocketMultiplayerPeer());
      expect(client.CreateClient(`wss://localhost:${server.GetLocalPort()}/`, clientOptions)).toBe(Error.Ok);
      await pollUntil([server, client], () => client.GetConnectionStatus() === ConnectionStatus.Connected);
      expect(server.GetPeer(client.GetUniqueId())!.GetRequestedUrl()).toMatch(/^wss:\/\//);
      client.PutPacket(Buffer.from('secure'));
      await pollUntil([server, client], () => server.GetAvailablePacketCount() === 1);
      expect(readAll(server)).toEqual([[client.GetUniqueId(), 'secure']]);
    } finally {
      pki.cleanup();
    }
  });
});
