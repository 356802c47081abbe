// Echo clients for the three implementations behind one shape: open(port, onMessage, writes)
// resolves to { send(payload), close() }. The gdws client is polled with setImmediate, as a Godot
// game loop polls its peer every frame; ws and net are event-driven.
//
// `writes` is how a client hands its messages to the socket:
//   'batched'   each implementation at its best: gdws writes the frames of one poll together (its
//               default), net corks the replies to one read into one vectored write, ws writes
//               each frame as it is sent (ws has no batching).
//   'per-send'  one socket write per message, as most game code and tools do: gdws follows each
//               Send() with GetCurrentOutboundBufferedAmount(), which hands the frames queued so
//               far to the socket; net writes each message (header + payload, one writev) at
//               once; ws as above.
import net from 'node:net';
import { WebSocket } from 'ws';
import { BENCH_BUFFER_SIZE, BENCH_OUTBOUND_BUFFER_SIZE, HOST, LIBRARY } from '../lib/config.mjs';
import { LengthPrefixedReader, lengthHeader } from '../lib/length-prefixed.mjs';

const { Error: GodotError, WebSocketPeer } = await import(LIBRARY);

const CONNECT_TIMEOUT_MS = 10_000;

export const clients = { gdws: openGdws, ws: openWs, net: openNet };

/** Failed sends (a full outbound buffer would make a benchmark quietly measure less). */
export let sendErrors = 0;

// One setImmediate loop polls every open gdws peer.
const pollers = new Set();
let ticking = false;
function tick() {
  for (const poll of pollers) poll();
  if (pollers.size > 0) setImmediate(tick);
  else ticking = false;
}
function addPoller(poll) {
  pollers.add(poll);
  if (!ticking) {
    ticking = true;
    setImmediate(tick);
  }
}

function openGdws(port, onMessage, writes) {
  const perSend = writes === 'per-send';
  const { Open, Connecting } = WebSocketPeer.State;
  const peer = new WebSocketPeer();
  peer.InboundBufferSize = BENCH_BUFFER_SIZE;
  peer.OutboundBufferSize = BENCH_OUTBOUND_BUFFER_SIZE;
  if (peer.ConnectToUrl(`ws://${HOST}:${port}/`) !== GodotError.Ok) return Promise.reject(new Error('ConnectToUrl failed'));
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + CONNECT_TIMEOUT_MS;
    const connection = {
      send(payload) {
        if (peer.Send(payload) === GodotError.OutOfMemory) sendErrors++;
        if (perSend) peer.GetCurrentOutboundBufferedAmount();
      },
      close() {
        pollers.delete(poll);
        peer.Close(-1);
      },
    };
    let opened = false;
    const poll = () => {
      peer.Poll();
      const state = peer.GetReadyState();
      if (!opened) {
        if (state === Connecting && performance.now() < deadline) return;
        if (state !== Open) {
          pollers.delete(poll);
          reject(new Error(`gdws client did not open: state ${state} ${peer.GetCloseReason()}`));
          return;
        }
        opened = true;
        resolve(connection);
      }
      for (let n = peer.GetAvailablePacketCount(); n > 0; n--) onMessage(peer.GetPacket());
    };
    addPoller(poll);
  });
}

function openWs(port, onMessage) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${HOST}:${port}/`, { perMessageDeflate: false, maxPayload: BENCH_BUFFER_SIZE });
    const timer = setTimeout(() => reject(new Error('ws client did not open')), CONNECT_TIMEOUT_MS);
    socket.on('error', (error) => reject(error));
    socket.on('message', onMessage);
    socket.on('open', () => {
      clearTimeout(timer);
      resolve({
        send: (payload) => socket.send(payload, { binary: true }),
        close: () => socket.terminate(),
      });
    });
  });
}

function openNet(port, onMessage, writes) {
  const perSend = writes === 'per-send';
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port, noDelay: true });
    const timer = setTimeout(() => reject(new Error('net client did not connect')), CONNECT_TIMEOUT_MS);
    socket.on('error', (error) => reject(error));
    // Batched: replies made while handling one read go out in one vectored write, as the server does.
    const reader = new LengthPrefixedReader(onMessage);
    socket.on('data', (chunk) => {
      if (perSend) return reader.push(chunk);
      socket.cork();
      reader.push(chunk);
      socket.uncork();
    });
    socket.on('connect', () => {
      clearTimeout(timer);
      resolve({
        // Header and payload as two buffers of one vectored write: no copy of the payload.
        send(payload) {
          socket.cork();
          socket.write(lengthHeader(payload.length));
          socket.write(payload);
          socket.uncork();
        },
        close: () => socket.destroy(),
      });
    });
  });
}
