/**
 * Connection: the data path of one open WebSocket connection, between a byte transport and the
 * codec. WebSocketPeer drives it from Poll(), Send() and Close(); the shared traces replay
 * through the same methods (test/traces/replay.ts), so what they check is what a peer does.
 *
 * Outbound accounting follows Godot, which writes every frame to the socket at once: the codec's
 * limits (MaxQueuedPackets, OutboundBufferSize) count only what the operating system has not
 * taken yet. Frames are still batched into one socket write per poll (or per event-loop turn);
 * before a send is refused, and before the buffered amount is reported, the batch is handed to
 * the socket, which Node writes to the kernel at once when it can.
 * @internal
 */
import type { CodecSession, InboundSink } from './codec-session.js';
import { CodecStatus, recycleOutput, type Opcode } from './codec-session.js';
import type { PacketQueue } from './packet-queue.js';
import { SessionFlag } from '../native/addon.js';

/** What a connection needs from its transport: a SocketPipe, or a trace's scripted bytes. */
export interface Transport {
  /** Received bytes not taken yet. */
  readonly bufferedBytes: number;
  /** Every received chunk, oldest first; the transport forgets them. */
  takeChunks(): Buffer[];
  /** Stops (or resumes) reading: lossless back-pressure. */
  setReadPaused(paused: boolean): void;
  /** Received bytes the transport may hold before it stops reading by itself (between polls). */
  readLimit?: number;
  /** Hands bytes to the operating system, at once as far as it takes them. */
  write(data: Uint8Array): void;
  /** Bytes given to write() that the operating system has not taken yet. */
  readonly writableLength: number;
  /** Holds writes back until uncork(), which hands them over together (one vectored write). */
  cork?(): void;
  uncork?(): void;
}

/**
 * The inbound limits, fixed when the connection opens (Godot reads InboundBufferSize and
 * MaxQueuedPackets for the inbound side only then).
 */
export interface InboundLimits {
  /** Largest message the codec accepts (all fragments); 0 = none. */
  maxMessageSize: number;
  /** Payload bytes the packet queue may hold before reading pauses. */
  queueBytes: number;
  /** Packets the packet queue may hold before reading pauses. */
  queuePackets: number;
}

/** Automatic pongs that may pile up in a backed-up socket before reading pauses. */
const REPLY_BACKLOG_BYTES = 1024 * 1024;
/**
 * What the transport may hold beyond the inbound byte budget before it stops reading on its own:
 * a peer that floods us between two polls is pushed back by TCP at once, not at the next poll.
 */
const READ_SLACK = 256 * 1024;
/** Header bytes of a pong frame (2, plus a 4-byte mask from a client). */
const PONG_FRAME_OVERHEAD = 6;
/**
 * Payloads from this size on are framed into a Buffer of their own and written at once (one pass
 * over the payload) instead of being copied into the codec's batch and out again (bench/NOTES.md).
 */
const ALONE_MIN = 64 * 1024;
/**
 * A batch of small frames goes to the transport once it holds this many payload bytes, without
 * waiting for the poll: the session's output buffer and the Buffer it is copied into stay small
 * (and reusable), whatever the burst.
 */
const BATCH_MAX = 256 * 1024;
/** Shared, never mutated: `pending` is replaced, not pushed to. */
const NO_CHUNKS: Buffer[] = [];

export class Connection implements InboundSink {
  /** A pong arrived in the last read (the heartbeat looks at it). */
  pongReceived = false;
  /** Bytes of automatic pongs queued while our output stayed backed up (see read()). */
  private replyBytes = 0;
  /** Received bytes the codec has not consumed yet (back-pressure keeps them here). */
  private pending: Buffer[];
  /** Output bytes given to the transport, and how many of them the codec was told are written. */
  private written = 0;
  private acknowledged = 0;
  /** Frames of their own were written while the transport holds writes back (see sendAlone). */
  private corked = false;
  /** Payload bytes queued in the codec's batch since the last write(). */
  private batched = 0;
  /** The inbound limits, as fields (no object per connection). */
  private readonly maxMessageSize: number;
  private readonly queueBytes: number;
  private readonly queuePackets: number;
  /** The room of the last receive() that could take nothing (-1: none): tried again only with more. */
  private stalledMessages = -1;
  private stalledBytes = -1;

  constructor(
    readonly codec: CodecSession,
    readonly pipe: Transport,
    private readonly packets: PacketQueue,
    /** Bytes that arrived with the handshake, after its head. */
    rest: Buffer[],
    limits: InboundLimits,
  ) {
    this.pending = rest.length === 0 ? NO_CHUNKS : rest;
    this.maxMessageSize = limits.maxMessageSize;
    this.queueBytes = limits.queueBytes;
    this.queuePackets = limits.queuePackets;
    pipe.readLimit = Math.min(limits.queueBytes, Number.MAX_SAFE_INTEGER - READ_SLACK) + READ_SLACK;
  }

  /** Received bytes wait for room (packets to be taken, or our output to drain). */
  get inputWaiting(): boolean {
    return this.pending.length > 0;
  }

  /** One poll's data path: read what arrived, then hand what the codec framed to the transport. */
  pump(): void {
    this.read();
    if (this.codec.outputPending) this.write();
  }

  /**
   * Feeds received bytes to the codec within the room the packet queue has left; completed
   * messages go to the packet queue. Also tells the codec what the transport has written.
   */
  read(): void {
    const { codec, pipe } = this;
    const written = this.takeWritten();
    const fresh = pipe.bufferedBytes > 0;
    if (!fresh && this.pending.length === 0) {
      if (written > 0) codec.acknowledge(written);
      return;
    }
    const { packets } = this;
    const messageRoom = Math.max(0, this.queuePackets - packets.length);
    const byteRoom = Math.max(0, this.queueBytes - packets.bytes);
    if (!fresh && messageRoom <= this.stalledMessages && byteRoom <= this.stalledBytes) {
      // Still held back, and no more room than when the same bytes could not be taken.
      if (written > 0) codec.acknowledge(written);
      return;
    }
    const taken = pipe.takeChunks();
    const input = this.pending.length === 0 ? taken : this.pending.concat(taken);
    this.pending = NO_CHUNKS;
    if ((codec.flags & SessionFlag.WantsInput) === 0) {
      // Closed or failed: the rest is ignored.
      if (written > 0) codec.acknowledge(written);
      return;
    }
    // Pongs are queued without limits; a peer that floods pings but never reads our replies must
    // not grow our output without bound: while more than 1 MiB of pongs were queued since our
    // output was last below 1 MiB, stop reading until it drains. Only pongs count, so two peers
    // streaming data at each other never stall on each other's backlog.
    if (pipe.writableLength <= REPLY_BACKLOG_BYTES) this.replyBytes = 0;
    if (this.replyBytes > REPLY_BACKLOG_BYTES) {
      if (written > 0) codec.acknowledge(written);
      this.pending = input;
      pipe.setReadPaused(true);
      return;
    }
    const consumed = codec.receive(input, messageRoom, byteRoom, written, this);
    this.pending = dropBytes(input, consumed);
    const stalled = consumed === 0 && this.pending.length > 0;
    this.stalledMessages = stalled ? messageRoom : -1;
    this.stalledBytes = stalled ? byteRoom : -1;
    // Lossless back-pressure: while bytes wait for room, stop reading the transport.
    pipe.setReadPaused(this.pending.length > 0);
  }

  /** Hands everything the codec framed to the transport (one write, or one vectored write). */
  write(): void {
    const output = this.writeBatch();
    if (this.corked) {
      this.corked = false;
      this.pipe.uncork?.();
    }
    // Written at once, nothing kept: the buffer can carry the next output.
    if (output !== null && this.pipe.writableLength === 0) recycleOutput(output);
  }

  /** write(), then frees from the outbound limits what the operating system took. */
  flush(): void {
    this.write();
    const written = this.takeWritten();
    if (written > 0) this.codec.acknowledge(written);
  }

  /**
   * Frames a message. When the outbound limits refuse it, the batch waiting for the socket is
   * flushed first and the codec asked once more: the limits count what the OS has not taken.
   */
  send(opcode: Opcode, payload: Uint8Array): CodecStatus {
    if (payload.length >= ALONE_MIN) return this.sendAlone(opcode, payload);
    let status = this.codec.queue(opcode, payload);
    if (status === CodecStatus.QueueFull || status === CodecStatus.BufferFull) {
      this.flush();
      status = this.codec.queue(opcode, payload);
    }
    if (status === CodecStatus.Ok) {
      this.batched += payload.length;
      if (this.batched >= BATCH_MAX) this.write();
    }
    return status;
  }

  /**
   * send() for a large payload: its frame is handed to the transport after the batch framed so
   * far. The transport holds both back until write() (at the next poll or the end of this turn),
   * so a burst of large sends still reaches the socket as one vectored write.
   */
  private sendAlone(opcode: Opcode, payload: Uint8Array): CodecStatus {
    let frame = this.codec.queueAlone(opcode, payload);
    if (frame === CodecStatus.QueueFull || frame === CodecStatus.BufferFull) {
      this.flush();
      frame = this.codec.queueAlone(opcode, payload);
    }
    if (typeof frame === 'number') return frame;
    if (!this.corked) {
      this.corked = true;
      this.pipe.cork?.();
    }
    // What the codec framed before this message goes first.
    if (this.codec.outputPending) this.writeBatch();
    this.handOver(frame);
    return CodecStatus.Ok;
  }

  /** Hands the codec's batch of frames to the transport; returns it (null when there was none). */
  private writeBatch(): Buffer | null {
    this.batched = 0;
    const output = this.codec.takeOutput();
    if (output !== null) this.handOver(output);
    return output;
  }

  private handOver(bytes: Buffer): void {
    this.written += bytes.length;
    this.pipe.write(bytes);
  }

  /** Queues our close frame (the codec applies RFC 6455's rules) and writes it at once. */
  close(code: number, reason: Uint8Array): CodecStatus {
    const status = this.codec.queueClose(code, reason);
    this.write();
    return status;
  }

  /** Payload bytes queued and not yet taken by the operating system. */
  bufferedAmount(): number {
    this.flush();
    return this.codec.queuedBytes();
  }

  /** The outbound limits may change while open (Godot reads them on every send). */
  setOutboundLimits(maxOutboundMessages: number, maxOutboundBytes: number): void {
    this.codec.setLimits({ maxMessageSize: this.maxMessageSize, maxOutboundMessages, maxOutboundBytes });
  }

  message(data: Uint8Array, isText: boolean): void {
    this.packets.push(data, isText);
  }

  ping(data: Uint8Array): void {
    this.replyBytes += data.length + PONG_FRAME_OVERHEAD;
  }

  pong(): void {
    this.pongReceived = true;
  }

  /**
   * Output bytes the operating system took since the last call: everything written minus what
   * the transport still holds. The transport's count can only include more (say, handshake
   * bytes still queued), so this never frees a frame the OS has not taken.
   */
  private takeWritten(): number {
    const taken = this.written - this.pipe.writableLength;
    if (taken <= this.acknowledged) return 0;
    const fresh = taken - this.acknowledged;
    this.acknowledged = taken;
    return fresh;
  }
}

/** Drops `count` bytes from the front of a chunk list, without copying the rest. */
function dropBytes(chunks: Buffer[], count: number): Buffer[] {
  let index = 0;
  while (index < chunks.length && count >= chunks[index]!.length) {
    count -= chunks[index]!.length;
    index++;
  }
  if (index === chunks.length) return NO_CHUNKS;
  const rest = chunks.slice(index);
  if (count > 0) rest[0] = rest[0]!.subarray(count);
  return rest;
}
