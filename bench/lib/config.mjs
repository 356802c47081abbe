// Settings every benchmark role shares.

/**
 * WebSocketPeer's InboundBufferSize and OutboundBufferSize default to 65535 (Godot's defaults):
 * too small for 100 messages of 64 KiB or 1 MiB in flight, where Send() would return
 * OutOfMemory. The bench raises InboundBufferSize (the largest message and the inbound queue's
 * byte budget) and ws's maxPayload to this size...
 */
export const BENCH_BUFFER_SIZE = 128 * 1024 * 1024;
/**
 * ...and lifts the outbound limit (0 = none, as ws has none): sent bytes stay counted until the
 * socket has written them, so with 100 MiB in flight the count briefly exceeds 128 MiB when
 * echoes come back before a large write has finished.
 */
export const BENCH_OUTBOUND_BUFFER_SIZE = 0;
export const HOST = '127.0.0.1';

/**
 * The library compiled from src/ by bench/run.mjs into build/bench-lib/ (ES modules, as in
 * dist/esm). A private copy: the shared dist/ is left to `npm run build`.
 */
export const LIBRARY_DIR = process.env.BENCH_LIBRARY_DIR
  ? new URL(`file://${process.env.BENCH_LIBRARY_DIR.replace(/\/?$/, '/')}`) // another checkout, for before/after runs
  : new URL('../../build/bench-lib/', import.meta.url);
export const LIBRARY = new URL('index.js', LIBRARY_DIR).href;
