// The three echo servers the benchmark compares. Each echoes every message back to its sender.
//   gdws: TcpServer + WebSocketPeer, polled with setImmediate while it has peers (Godot's model)
//   gdws-loop: the same peers driven by PollLoop (polled only when something happened), as
//         examples/echo-server; gdws-timer: polled by a 16 ms setInterval (a frame timer)
//   ws:   WebSocketServer from ws (bufferutil loaded), event-driven
//   net:  raw TCP with a 4-byte length prefix: the I/O limit
import net from 'node:net';
import { WebSocketServer } from 'ws';
import { BENCH_BUFFER_SIZE, BENCH_OUTBOUND_BUFFER_SIZE, HOST, LIBRARY } from '../lib/config.mjs';
import { LengthPrefixedReader, lengthHeader } from '../lib/length-prefixed.mjs';

const { Error: GodotError, PollLoop, TcpServer, WebSocketPeer } = await import(LIBRARY);

/** How often an idle gdws server looks for new connections (no spinning while idle). */
const ACCEPT_INTERVAL_MS = 2;

export function startEchoServer(impl, port = 0) {
  if (impl === 'gdws') return startGdwsEchoServer(port);
  if (impl === 'gdws-loop') return startGdwsDrivenServer(port, (poll) => PollLoop.Start(poll));
  if (impl === 'gdws-timer') return startGdwsDrivenServer(port, (poll) => {
    const timer = setInterval(poll, 16);
    return { Stop: () => clearInterval(timer), GetRunCount: () => NaN };
  });
  if (impl === 'ws') return startWsEchoServer(port);
  if (impl === 'net') return startNetEchoServer(port);
  throw new Error(`unknown implementation ${impl}`);
}

/**
 * Echo servers that respect back-pressure with `bufferSize`-byte buffers and lose nothing, for a
 * peer that floods them and never reads the echoes: gdws with InboundBufferSize and
 * OutboundBufferSize at bufferSize (a packet Send() refuses is kept and sent again later; reading
 * stops when the packet queue is full), ws pausing the socket while more than bufferSize bytes
 * wait to be written, and net doing the same with write()'s return value and 'drain'.
 */
export function startBoundedEchoServer(impl, bufferSize) {
  if (impl === 'gdws') return startGdwsBoundedServer(bufferSize);
  if (impl === 'ws') return startWsBoundedServer(bufferSize);
  if (impl === 'net') return startNetBoundedServer(bufferSize);
  throw new Error(`unknown implementation ${impl}`);
}

function startGdwsBoundedServer(bufferSize) {
  const { Binary, Text } = WebSocketPeer.WriteMode;
  const tcp = new TcpServer();
  const listened = tcp.Listen(0, HOST);
  if (listened !== GodotError.Ok) return Promise.reject(new Error(`TcpServer.Listen failed: error ${listened}`));
  const peers = [];
  // The packet each peer could not send yet (OutOfMemory), with its text flag.
  const held = new Map();
  const tick = () => {
    while (tcp.IsConnectionAvailable()) {
      const peer = new WebSocketPeer();
      peer.InboundBufferSize = bufferSize;
      peer.OutboundBufferSize = bufferSize;
      peer.AcceptStream(tcp.TakeConnection());
      peers.push(peer);
    }
    for (const peer of peers) {
      peer.Poll();
      for (;;) {
        let next = held.get(peer);
        if (!next) {
          if (peer.GetAvailablePacketCount() === 0) break;
          const packet = peer.GetPacket();
          next = { packet, text: peer.WasStringPacket() };
        }
        if (peer.Send(next.packet, next.text ? Text : Binary) === GodotError.OutOfMemory) {
          held.set(peer, next);
          break;
        }
        held.delete(peer);
      }
    }
    timer = setImmediate(tick);
  };
  let timer = setImmediate(tick);
  return Promise.resolve({
    port: tcp.GetLocalPort(),
    close() {
      clearImmediate(timer);
      for (const peer of peers) peer.Close(-1);
      tcp.Stop();
    },
  });
}

function startWsBoundedServer(bufferSize) {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ host: HOST, port: 0, perMessageDeflate: false, maxPayload: bufferSize });
    server.on('error', reject);
    server.on('connection', (socket) => {
      socket.on('error', () => {});
      const resumeWhenDrained = () => {
        if (socket.isPaused && socket.bufferedAmount <= bufferSize) socket.resume();
      };
      socket.on('message', (data, isBinary) => {
        socket.send(data, { binary: isBinary }, resumeWhenDrained);
        if (socket.bufferedAmount > bufferSize) socket.pause();
      });
    });
    server.on('listening', () =>
      resolve({
        port: server.address().port,
        close() {
          for (const client of server.clients) client.terminate();
          server.close();
        },
      }),
    );
  });
}

function startNetBoundedServer(bufferSize) {
  const sockets = new Set();
  const server = net.createServer({ noDelay: true, highWaterMark: bufferSize }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('drain', () => socket.resume());
    const reader = new LengthPrefixedReader((message) => {
      socket.cork();
      socket.write(lengthHeader(message.length));
      const more = socket.write(message);
      socket.uncork();
      if (!more) socket.pause();
    });
    socket.on('data', (chunk) => reader.push(chunk));
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen({ host: HOST, port: 0 }, () =>
      resolve({
        port: server.address().port,
        close() {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      }),
    );
  });
}

/** The server code that also runs under node:cluster and in worker_threads (see scale.mjs). */
export function startGdwsEchoServer(port = 0) {
  const { Binary, Text } = WebSocketPeer.WriteMode;
  const { Closed } = WebSocketPeer.State;
  const tcp = new TcpServer();
  const listened = tcp.Listen(port, HOST);
  if (listened !== GodotError.Ok) return Promise.reject(new Error(`TcpServer.Listen failed: error ${listened}`));
  const peers = [];
  let sendErrors = 0;
  let ticking = false;
  let paused = false;

  const accept = () => {
    while (tcp.IsConnectionAvailable()) {
      const peer = new WebSocketPeer();
      peer.InboundBufferSize = BENCH_BUFFER_SIZE;
      peer.OutboundBufferSize = BENCH_OUTBOUND_BUFFER_SIZE;
      peer.AcceptStream(tcp.TakeConnection());
      peers.push(peer);
    }
    if (peers.length > 0 && !ticking && !paused) {
      ticking = true;
      setImmediate(tick);
    }
  };
  const tick = () => {
    if (paused) {
      ticking = false;
      return;
    }
    accept();
    let kept = 0;
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[i];
      peer.Poll();
      for (let n = peer.GetAvailablePacketCount(); n > 0; n--) {
        const packet = peer.GetPacket();
        // OutOfMemory = a full outbound buffer: the echo would be lost and the client would stall.
        // (Failed after the client hung up is expected: its last packets stay readable.)
        if (peer.Send(packet, peer.WasStringPacket() ? Text : Binary) === GodotError.OutOfMemory) sendErrors++;
      }
      if (peer.GetReadyState() !== Closed) peers[kept++] = peer;
    }
    peers.length = kept;
    if (kept > 0) setImmediate(tick);
    else ticking = false;
  };
  const acceptTimer = setInterval(accept, ACCEPT_INTERVAL_MS);

  return Promise.resolve({
    port: tcp.GetLocalPort(),
    openConnections: () => peers.filter((peer) => peer.GetReadyState() === WebSocketPeer.State.Open).length,
    sendErrors: () => sendErrors,
    /** Stops the poll loop so that a caller can time Poll() sweeps on quiet peers. */
    pause() {
      paused = true;
      clearInterval(acceptTimer);
    },
    sweep() {
      for (let i = 0; i < peers.length; i++) peers[i].Poll();
      return peers.length;
    },
    close() {
      clearInterval(acceptTimer);
      paused = true;
      for (const peer of peers) peer.Close(-1);
      tcp.Stop();
    },
  });
}

/**
 * An echo server whose poll function is run by `drive` (PollLoop.Start, or a frame timer): the
 * code of examples/echo-server, with the bench's buffer sizes.
 */
function startGdwsDrivenServer(port, drive) {
  const { Binary, Text } = WebSocketPeer.WriteMode;
  const tcp = new TcpServer();
  const listened = tcp.Listen(port, HOST);
  if (listened !== GodotError.Ok) return Promise.reject(new Error(`TcpServer.Listen failed: error ${listened}`));
  const peers = new Set();
  let sendErrors = 0;
  const loop = drive(() => {
    while (tcp.IsConnectionAvailable()) {
      const peer = new WebSocketPeer();
      peer.InboundBufferSize = BENCH_BUFFER_SIZE;
      peer.OutboundBufferSize = BENCH_OUTBOUND_BUFFER_SIZE;
      peer.AcceptStream(tcp.TakeConnection());
      peers.add(peer);
    }
    for (const peer of peers) {
      peer.Poll();
      for (let n = peer.GetAvailablePacketCount(); n > 0; n--) {
        const packet = peer.GetPacket();
        if (peer.Send(packet, peer.WasStringPacket() ? Text : Binary) === GodotError.OutOfMemory) sendErrors++;
      }
      if (peer.GetReadyState() === WebSocketPeer.State.Closed) peers.delete(peer);
    }
  });
  return Promise.resolve({
    port: tcp.GetLocalPort(),
    openConnections: () => [...peers].filter((peer) => peer.GetReadyState() === WebSocketPeer.State.Open).length,
    sendErrors: () => sendErrors,
    runCount: () => loop.GetRunCount(),
    close() {
      loop.Stop();
      for (const peer of peers) peer.Close(-1);
      tcp.Stop();
    },
  });
}

function startWsEchoServer(port) {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ host: HOST, port, perMessageDeflate: false, maxPayload: BENCH_BUFFER_SIZE });
    server.on('error', reject);
    server.on('connection', (socket) => {
      socket.on('error', () => {});
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    });
    server.on('listening', () =>
      resolve({
        port: server.address().port,
        openConnections: () => server.clients.size,
        sendErrors: () => 0,
        close() {
          for (const client of server.clients) client.terminate();
          server.close();
        },
      }),
    );
  });
}

function startNetEchoServer(port) {
  const sockets = new Set();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    // Echo every whole message; the replies to one read go out in one vectored write.
    let replies = [];
    const reader = new LengthPrefixedReader((message) => replies.push(lengthHeader(message.length), message));
    socket.on('data', (chunk) => {
      reader.push(chunk);
      if (replies.length === 0) return;
      socket.cork();
      for (const part of replies) socket.write(part);
      socket.uncork();
      replies = [];
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen({ host: HOST, port }, () =>
      resolve({
        port: server.address().port,
        openConnections: () => sockets.size,
        sendErrors: () => 0,
        close() {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      }),
    );
  });
}
