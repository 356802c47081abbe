import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Error, StreamPeer, StreamPeerTcp, TcpServer, WebSocketPeer } from '../src/index.js';
import { pollUntil } from './helpers/loop.js';

const { Status } = StreamPeerTcp;

async function connectedPair() {
  const server = new TcpServer();
  expect(server.Listen(0, '127.0.0.1')).toBe(Error.Ok);
  const client = new StreamPeerTcp();
  expect(client.ConnectToHost('127.0.0.1', server.GetLocalPort())).toBe(Error.Ok);
  expect(client.GetStatus()).toBe(Status.Connecting);
  let accepted: StreamPeerTcp | null = null;
  await pollUntil([client], () => {
    accepted ??= server.TakeConnection();
    return accepted !== null && client.GetStatus() === Status.Connected;
  });
  return { server, client, accepted: accepted! };
}

describe('TcpServer (spec §4)', () => {
  it('listens on an ephemeral port and reports it at once', () => {
    const server = new TcpServer();
    expect(server.IsListening()).toBe(false);
    expect(server.IsConnectionAvailable()).toBe(false);
    expect(server.TakeConnection()).toBeNull();
    expect(server.Listen(0, '127.0.0.1')).toBe(Error.Ok);
    expect(server.IsListening()).toBe(true);
    expect(server.GetLocalPort()).toBeGreaterThan(0);
    expect(server.Listen(0, '127.0.0.1')).toBe(Error.AlreadyInUse);
    server.Stop();
    expect(server.IsListening()).toBe(false);
    expect(server.GetLocalPort()).toBe(0);
  });

  it('returns AlreadyInUse for a busy port and an address that is not local, InvalidParameter for a bad one', () => {
    const first = new TcpServer();
    first.Listen(0, '127.0.0.1');
    const second = new TcpServer();
    expect(second.Listen(first.GetLocalPort(), '127.0.0.1')).toBe(Error.AlreadyInUse);
    expect(second.Listen(0, '192.0.2.1')).toBe(Error.AlreadyInUse); // TEST-NET-1: never local
    expect(second.Listen(0, 'not-an-ip')).toBe(Error.InvalidParameter);
    expect(second.Listen(70000)).toBe(Error.InvalidParameter);
    expect(second.IsListening()).toBe(false);
    first.Stop();
  });

  it('listens on IPv4 and IPv6 with "*"', async () => {
    const server = new TcpServer();
    expect(server.Listen(0)).toBe(Error.Ok);
    for (const host of ['127.0.0.1', '::1']) {
      const client = new StreamPeerTcp();
      expect(client.ConnectToHost(host, server.GetLocalPort())).toBe(Error.Ok);
      await pollUntil([client], () => client.GetStatus() === Status.Connected);
      await pollUntil([], () => server.IsConnectionAvailable());
      const accepted = server.TakeConnection()!;
      expect(accepted.GetStatus()).toBe(Status.Connected);
      expect(accepted.GetConnectedHost()).toBe(host);
      client.DisconnectFromHost();
      accepted.DisconnectFromHost();
    }
    server.Stop();
  });
});

describe('StreamPeerTcp (spec §3)', () => {
  it('checks its arguments and state in ConnectToHost', () => {
    const peer = new StreamPeerTcp();
    expect(peer.ConnectToHost('127.0.0.1', 0)).toBe(Error.InvalidParameter);
    expect(peer.ConnectToHost('127.0.0.1', 65536)).toBe(Error.InvalidParameter);
    expect(peer.ConnectToHost('localhost', 80)).toBe(Error.CantResolve);
    expect(peer.GetStatus()).toBe(Status.None);
    expect(peer.ConnectToHost('127.0.0.1', 9)).toBe(Error.Ok);
    expect(peer.ConnectToHost('127.0.0.1', 9)).toBe(Error.AlreadyInUse);
    peer.DisconnectFromHost();
    expect(peer.GetStatus()).toBe(Status.None);
    expect(() => peer.ConnectToHost(1 as unknown as string, 80)).toThrow(TypeError);
  });

  it('reports Error and ConnectionError from Poll when the connection is refused', async () => {
    const server = new TcpServer();
    server.Listen(0, '127.0.0.1');
    const port = server.GetLocalPort();
    server.Stop();
    const peer = new StreamPeerTcp();
    expect(peer.ConnectToHost('127.0.0.1', port)).toBe(Error.Ok);
    let result = Error.Ok;
    await pollUntil([], () => (result = peer.Poll()) !== Error.Ok || peer.GetStatus() !== Status.Connecting);
    expect(result).toBe(Error.ConnectionError);
    expect(peer.GetStatus()).toBe(Status.Error);
    // Godot's disconnect_from_host clears the address and closes the socket.
    expect(peer.GetConnectedHost()).toBe('');
    expect(peer.GetConnectedPort()).toBe(0);
    expect(peer.GetAvailableBytes()).toBe(-1);
    expect(peer.GetErrorReason()).toBe(`could not connect to 127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
  });

  it('reports -1 available bytes without a socket, 0 while connecting, the count once connected', async () => {
    const peer = new StreamPeerTcp();
    expect(peer.GetAvailableBytes()).toBe(-1);
    const { server, client, accepted } = await connectedPair();
    const connecting = new StreamPeerTcp();
    connecting.ConnectToHost('127.0.0.1', server.GetLocalPort());
    expect(connecting.GetAvailableBytes()).toBe(0);
    connecting.DisconnectFromHost();
    expect(connecting.GetAvailableBytes()).toBe(-1);
    expect(accepted.GetAvailableBytes()).toBe(0);
    client.PutData(new Uint8Array(3));
    await pollUntil([accepted], () => accepted.GetAvailableBytes() === 3);
    client.DisconnectFromHost();
    expect(client.GetAvailableBytes()).toBe(-1);
    accepted.DisconnectFromHost();
    server.Stop();
  });

  it('forgets the address and says why after the peer resets the connection', async () => {
    let accepted: Socket | null = null;
    const raw = createServer((socket) => {
      accepted = socket;
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const port = (raw.address() as AddressInfo).port;
    try {
      const peer = new StreamPeerTcp();
      expect(peer.ConnectToHost('127.0.0.1', port)).toBe(Error.Ok);
      await pollUntil([peer], () => peer.GetStatus() === Status.Connected && accepted !== null);
      accepted!.resetAndDestroy();
      let result = Error.Ok;
      await pollUntil([], () => (result = peer.Poll()) !== Error.Ok, 5000, 'the reset');
      expect(result).toBe(Error.Failed);
      expect(peer.GetStatus()).toBe(Status.Error);
      expect(peer.GetConnectedHost()).toBe('');
      expect(peer.GetConnectedPort()).toBe(0);
      expect(peer.GetErrorReason()).toBe(`the connection to 127.0.0.1:${port} failed: connection reset by the peer (ECONNRESET)`);
    } finally {
      raw.close();
    }
  });

  it('binds the local port and address with Bind before connecting', async () => {
    const server = new TcpServer();
    server.Listen(0, '127.0.0.1');
    const peer = new StreamPeerTcp();
    expect(peer.Bind(70000)).toBe(Error.InvalidParameter);
    expect(peer.Bind(-1)).toBe(Error.InvalidParameter);
    expect(peer.Bind(0, 'localhost')).toBe(Error.InvalidParameter);
    expect(peer.Bind(0, '127.0.0.1')).toBe(Error.Ok);
    expect(peer.Bind(0, '127.0.0.1')).toBe(Error.AlreadyInUse);
    expect(peer.GetAvailableBytes()).toBe(0); // a bound socket, as in Godot
    expect(peer.ConnectToHost('127.0.0.1', server.GetLocalPort())).toBe(Error.Ok);
    expect(peer.Bind(0)).toBe(Error.AlreadyInUse);
    let accepted: StreamPeerTcp | null = null;
    await pollUntil([peer], () => (accepted ??= server.TakeConnection()) !== null && peer.GetStatus() === Status.Connected);
    const localPort = peer.GetLocalPort();
    expect(accepted!.GetConnectedPort()).toBe(localPort);
    peer.DisconnectFromHost();
    accepted!.DisconnectFromHost();

    // The same local port again (a fresh peer; DisconnectFromHost forgot the binding).
    await pollUntil([], () => true);
    const again = new StreamPeerTcp();
    expect(again.Bind(localPort, '127.0.0.1')).toBe(Error.Ok);
    expect(again.ConnectToHost('127.0.0.1', server.GetLocalPort())).toBe(Error.Ok);
    let second: StreamPeerTcp | null = null;
    await pollUntil([again], () => (second ??= server.TakeConnection()) !== null && again.GetStatus() === Status.Connected);
    expect(second!.GetConnectedPort()).toBe(localPort);
    again.DisconnectFromHost();
    second!.DisconnectFromHost();
    server.Stop();
  });

  it('reports a local port that is taken in Poll, with the reason', async () => {
    const server = new TcpServer();
    server.Listen(0, '127.0.0.1');
    const peer = new StreamPeerTcp();
    expect(peer.Bind(server.GetLocalPort(), '127.0.0.1')).toBe(Error.Ok);
    expect(peer.ConnectToHost('127.0.0.1', server.GetLocalPort())).toBe(Error.Ok);
    let result = Error.Ok;
    await pollUntil([], () => (result = peer.Poll()) !== Error.Ok, 5000, 'the bind failure');
    expect(result).toBe(Error.ConnectionError);
    expect(peer.GetStatus()).toBe(Status.Error);
    expect(peer.GetErrorReason()).toContain('EADDRINUSE');
    server.Stop();
  });

  it('moves bytes both ways with the partial and whole calls', async () => {
    const { server, client, accepted } = await connectedPair();
    expect(client.GetConnectedHost()).toBe('127.0.0.1');
    expect(client.GetConnectedPort()).toBe(server.GetLocalPort());
    expect(accepted.GetConnectedPort()).toBe(client.GetLocalPort());
    expect(client.PutData(new Uint8Array([1, 2, 3, 4, 5]))).toBe(Error.Ok);
    expect(client.PutPartialData(new Uint8Array([6, 7]))).toEqual([Error.Ok, 2]);
    await pollUntil([accepted], () => accepted.GetAvailableBytes() === 7);
    expect(accepted.GetData(10)).toEqual([Error.Unavailable, new Uint8Array(0)]);
    const [e1, first] = accepted.GetData(3);
    expect([e1, [...first]]).toEqual([Error.Ok, [1, 2, 3]]);
    const [e2, rest] = accepted.GetPartialData(100);
    expect([e2, [...rest]]).toEqual([Error.Ok, [4, 5, 6, 7]]);
    expect(accepted.GetPartialData(100)).toEqual([Error.Ok, new Uint8Array(0)]);
    expect(client.PutData(new Uint8Array(0))).toBe(Error.Ok);
    expect(client.PutPartialData(new Uint8Array(0))).toEqual([Error.Ok, 0]);
    client.DisconnectFromHost();
    accepted.DisconnectFromHost();
    server.Stop();
  });

  it('reads FileEof and becomes None after the peer disconnects', async () => {
    const { server, client, accepted } = await connectedPair();
    client.PutData(new Uint8Array([9]));
    client.DisconnectFromHost();
    expect(client.GetStatus()).toBe(Status.None);
    expect(client.PutData(new Uint8Array([1]))).toBe(Error.Failed);
    await pollUntil([], () => accepted.GetAvailableBytes() === 1);
    expect([...accepted.GetPartialData(10)[1]]).toEqual([9]);
    let read = Error.Ok;
    await pollUntil([], () => (read = accepted.GetPartialData(10)[0]) !== Error.Ok);
    expect(read).toBe(Error.FileEof);
    expect(accepted.GetStatus()).toBe(Status.None);
    expect(accepted.GetPartialData(10)[0]).toBe(Error.Failed);
    server.Stop();
  });

  it('notices a disconnect in Poll', async () => {
    const { server, client, accepted } = await connectedPair();
    accepted.DisconnectFromHost();
    await pollUntil([client], () => client.GetStatus() === Status.None);
    expect(client.GetConnectedHost()).toBe('');
    expect(client.GetConnectedPort()).toBe(0);
    server.Stop();
  });
});

describe('AcceptStream with a foreign StreamPeer', () => {
  it('returns InvalidParameter for a StreamPeer that is neither TCP nor TLS over TCP', () => {
    class MemoryStream extends StreamPeer {
      get pipe() { return null; }
      protected get isReady() { return false; }
      protected onReadEnd() {}
    }
    const peer = new WebSocketPeer();
    expect(peer.AcceptStream(new MemoryStream())).toBe(Error.InvalidParameter);
    expect(peer.GetReadyState()).toBe(WebSocketPeer.State.Closed);
  });
});
