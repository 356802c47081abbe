/**
 * StreamPeer: Godot's byte-stream API (PutData, PutPartialData, GetData, GetPartialData,
 * GetAvailableBytes) over a SocketPipe. Node sockets cannot block, so the "blocking" calls
 * (PutData, GetData) behave as their non-blocking twins that must move every byte at once.
 */
import { Error } from './error.js';
import { GodotObject, registerGodotClass } from './godot-object.js';
import { checkBytes, checkInteger } from './arguments.js';
import type { SocketPipe } from '../net/socket-pipe.js';

/** PutPartialData accepts bytes until Node's socket buffer holds this much (then "would block"). */
export const STREAM_WRITE_HIGH_WATER = 1024 * 1024;
const EMPTY = new Uint8Array(0);

export abstract class StreamPeer extends GodotObject {
  /** Extension of no consequence here yet: Godot uses it for put_16/get_32 etc. */
  BigEndian = false;

  /** @internal The pipe while connected, null otherwise. */
  abstract get pipe(): SocketPipe | null;
  /** @internal Whether the stream is ready for data (Connected). */
  protected abstract get isReady(): boolean;
  /** @internal Called when a read meets the end of the stream or an error: the stream disconnects. */
  protected abstract onReadEnd(error: Error): void;

  /** Writes all bytes. Node cannot block: Busy when the socket buffer is full, nothing written. */
  PutData(data: Uint8Array): Error {
    checkBytes('PutData', data);
    if (data.length === 0) return Error.Ok;
    const pipe = this.readyPipe();
    if (!pipe) return Error.Failed;
    if (pipe.writableLength >= STREAM_WRITE_HIGH_WATER) return Error.Busy;
    pipe.write(data);
    return Error.Ok;
  }

  /** Writes what fits now: [Error, bytes sent]. */
  PutPartialData(data: Uint8Array): [Error, number] {
    checkBytes('PutPartialData', data);
    if (data.length === 0) return [Error.Ok, 0];
    const pipe = this.readyPipe();
    if (!pipe) return [Error.Failed, 0];
    const room = Math.max(0, STREAM_WRITE_HIGH_WATER - pipe.writableLength);
    const sent = Math.min(room, data.length);
    if (sent > 0) pipe.write(sent === data.length ? data : data.subarray(0, sent));
    return [Error.Ok, sent];
  }

  /** Reads exactly `bytes` bytes, or nothing: Node cannot wait, so Unavailable when fewer arrived. */
  GetData(bytes: number): [Error, Uint8Array] {
    checkInteger('GetData', bytes);
    const pipe = this.readyPipe();
    if (!pipe || bytes < 0) return [Error.Failed, EMPTY];
    if (pipe.bufferedBytes < bytes) {
      const ended = this.readEnded(pipe);
      return ended === Error.Ok ? [Error.Unavailable, EMPTY] : [ended, EMPTY];
    }
    return [Error.Ok, pipe.read(bytes)];
  }

  /** Reads up to `bytes` bytes that have arrived: [Error, data]. */
  GetPartialData(bytes: number): [Error, Uint8Array] {
    checkInteger('GetPartialData', bytes);
    const pipe = this.readyPipe();
    if (!pipe || bytes < 0) return [Error.Failed, EMPTY];
    if (pipe.bufferedBytes === 0) {
      const ended = this.readEnded(pipe);
      return [ended, EMPTY];
    }
    return [Error.Ok, pipe.read(bytes)];
  }

  GetAvailableBytes(): number {
    const pipe = this.readyPipe();
    return pipe ? pipe.bufferedBytes : 0;
  }

  private readyPipe(): SocketPipe | null {
    return this.isReady ? this.pipe : null;
  }

  /** With nothing buffered: FileEof after the peer's FIN, Failed after an error, else Ok. */
  private readEnded(pipe: SocketPipe): Error {
    const error = pipe.failed ? Error.Failed : pipe.ended ? Error.FileEof : Error.Ok;
    if (error !== Error.Ok) this.onReadEnd(error);
    return error;
  }
}

registerGodotClass(StreamPeer, {
  name: 'StreamPeer',
  methods: {
    put_data: 'PutData',
    put_partial_data: 'PutPartialData',
    get_data: 'GetData',
    get_partial_data: 'GetPartialData',
    get_available_bytes: 'GetAvailableBytes',
    is_big_endian_enabled: 'get:BigEndian',
    set_big_endian: 'set:BigEndian',
  },
  properties: { big_endian: 'BigEndian' },
});
