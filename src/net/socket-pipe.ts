/**
 * SocketPipe: the byte pipe under StreamPeerTcp and StreamPeerTls. Node delivers socket data in
 * the background; the pipe keeps it as a list of chunks (no concatenation) until a peer's Poll()
 * takes it, pauses the socket when asked (lossless back-pressure), and records end and errors
 * as facts that Poll() publishes. Nothing here is visible to users directly.
 * @internal
 */
import type { Socket } from 'node:net';
import { activity, activityWatched } from '../core/activity.js';

/**
 * The pipe that owns a socket, stored on the socket so that one set of listener functions serves
 * every pipe (per-pipe bound handlers would cost four closures per connection).
 */
const PIPE = Symbol('SocketPipe');
type PipedSocket = Socket & { [PIPE]?: SocketPipe };
/** Shared by every pipe with nothing buffered, never mutated: an idle pipe holds no array. */
const NO_CHUNKS: Buffer[] = [];
const NOTHING = Buffer.alloc(0);
/**
 * How long a pipe that sent its FIN waits for the peer's before it drops the socket: a peer that
 * never closes its side must not keep the socket (and its file descriptor) for ever.
 */
export const LINGER_MS = 3000;

export class SocketPipe {
  private chunks: Buffer[] = NO_CHUNKS;
  private buffered = 0;
  private readPaused = false;
  /** The peer sent FIN (or TLS close_notify). */
  ended = false;
  /** The socket failed or was destroyed. */
  failed = false;
  error: NodeJS.ErrnoException | null = null;
  /** A PollLoop waits to hear that the bytes written so far have all gone to the OS. */
  private roomWatched = false;
  /**
   * Received bytes held here beyond which the pipe stops reading by itself until resumed; 0 =
   * no limit (an integer field: Infinity would cost every pipe a boxed number).
   */
  readLimit = 0;
  /** end() was called: what still arrives is read and dropped, until the peer's FIN. */
  private ending = false;
  private lingerTimer: NodeJS.Timeout | null = null;

  constructor(readonly socket: Socket) {
    (socket as PipedSocket)[PIPE] = this;
    socket.on('data', handleData);
    socket.on('end', handleEnd);
    socket.on('error', handleError);
    socket.on('close', handleClose);
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  /** All received chunks, oldest first; the pipe forgets them. */
  takeChunks(): Buffer[] {
    const taken = this.chunks;
    this.chunks = NO_CHUNKS;
    this.buffered = 0;
    return taken;
  }

  /** Takes up to `max` bytes as one Buffer (StreamPeer's GetPartialData). */
  read(max: number): Buffer {
    if (max <= 0 || this.buffered === 0) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let wanted = Math.min(max, this.buffered);
    while (wanted > 0) {
      const head = this.chunks[0]!;
      if (head.length <= wanted) {
        parts.push(head);
        this.chunks.shift();
        wanted -= head.length;
        this.buffered -= head.length;
      } else {
        parts.push(head.subarray(0, wanted));
        this.chunks[0] = head.subarray(wanted);
        this.buffered -= wanted;
        wanted = 0;
      }
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** The first `count` buffered bytes (count <= bufferedBytes), left in the pipe. */
  peek(count: number): Buffer {
    const head = this.chunks[0];
    if (head && head.length >= count) return head.subarray(0, count);
    return Buffer.concat(this.chunks, count);
  }

  /** Stops (or resumes) reading the socket: TCP flow control then pushes back on the sender. */
  setReadPaused(paused: boolean): void {
    if (paused === this.readPaused || this.failed) return;
    this.readPaused = paused;
    if (paused) this.socket.pause();
    else this.socket.resume();
  }

  /**
   * Queues bytes on the socket. Node hands them to the kernel at once when it can (plain TCP);
   * writableLength says what it still holds.
   */
  write(data: Uint8Array): void {
    if (this.failed || this.socket.destroyed) return;
    this.socket.write(data);
    if (this.socket.writableLength > 0 && !this.roomWatched && activityWatched()) this.watchRoom();
  }

  /**
   * For PollLoop: "room" once the OS has taken everything written so far (sends refused for the
   * outbound limits may then succeed). An empty write's callback runs exactly then; Node's 'drain'
   * would only come for writes past its high-water mark.
   */
  private watchRoom(): void {
    this.roomWatched = true;
    this.socket.write(NOTHING, () => {
      this.roomWatched = false;
      activity();
    });
  }

  /** Holds writes back until uncork(), which hands them to the kernel together (one writev). */
  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /** Bytes written by us and not yet taken by the kernel (still in Node's socket buffer). */
  get writableLength(): number {
    return this.socket.writableLength;
  }

  /**
   * Sends FIN after pending writes. Nobody reads this pipe any more: unread and later bytes are
   * dropped, and reading resumes even if it was paused for back-pressure, so that the peer's FIN
   * is seen and Node releases the socket; a peer that does not close within LINGER_MS is dropped.
   */
  end(): void {
    if (this.socket.destroyed || this.ending) return;
    this.ending = true;
    this.chunks = NO_CHUNKS;
    this.buffered = 0;
    this.socket.end();
    this.setReadPaused(false);
    this.lingerTimer = setTimeout(destroyLingering, LINGER_MS, this.socket);
    this.lingerTimer.unref();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.failed = true;
    this.stopLinger();
    this.socket.destroy();
    this.detachListeners();
  }

  private stopLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  /** Hands the raw socket to another user (TLS): unread bytes go back into the socket first. */
  detach(): Socket {
    this.detachListeners();
    // Without a 'data' listener a flowing socket would emit the unshifted bytes to nobody:
    // pause first, so the new owner reads them when it starts the stream again.
    this.socket.pause();
    for (let i = this.chunks.length - 1; i >= 0; i--) this.socket.unshift(this.chunks[i]!);
    this.chunks = NO_CHUNKS;
    this.buffered = 0;
    return this.socket;
  }

  private detachListeners(): void {
    this.socket.off('data', handleData);
    this.socket.off('end', handleEnd);
    this.socket.off('close', handleClose);
    // Keep an error listener: an unhandled 'error' event would crash the process.
    this.socket.off('error', handleError);
    this.socket.on('error', ignoreError);
    (this.socket as PipedSocket)[PIPE] = undefined;
  }

  /** @internal Socket events, through the shared listeners below. */
  receiveData(chunk: Buffer): void {
    if (this.ending) return;
    if (this.chunks === NO_CHUNKS) this.chunks = [chunk];
    else this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > this.readLimit && this.readLimit > 0) this.setReadPaused(true);
    activity();
  }

  /** @internal */
  receiveEnd(): void {
    this.ended = true;
    activity();
  }

  /** @internal */
  receiveError(error: NodeJS.ErrnoException): void {
    this.error = error;
    this.failed = true;
    activity();
  }

  /** @internal */
  receiveClose(): void {
    if (!this.ended) this.failed = true;
    this.stopLinger();
    activity();
  }
}

// Node calls socket listeners with the socket as `this`.
function handleData(this: PipedSocket, chunk: Buffer): void {
  this[PIPE]?.receiveData(chunk);
}

function handleEnd(this: PipedSocket): void {
  this[PIPE]?.receiveEnd();
}

function handleError(this: PipedSocket, error: NodeJS.ErrnoException): void {
  this[PIPE]?.receiveError(error);
}

function handleClose(this: PipedSocket): void {
  this[PIPE]?.receiveClose();
}

function ignoreError(): void {}

function destroyLingering(socket: Socket): void {
  socket.destroy();
}
