/**
 * The package's one reporting channel besides return values: where Godot prints an error and
 * carries on (a setter that ignores a value, a call that needs a connection it does not have), we
 * emit a Node process warning with a stable code, once per code per process, as Node itself does
 * for its own warnings. Connection failures are never warnings: they are Error values and reasons
 * (WebSocketPeer.GetCloseReason(), StreamPeerTcp/StreamPeerTls.GetErrorReason()).
 */

export enum WarningCode {
  /** A setter ignored a value Godot refuses (a negative HeartbeatInterval, an EncodeBufferMaxSize out of range). */
  IgnoredValue = 'GDWS_IGNORED_VALUE',
  /** A call needs a connection the object does not have (GetConnectedHost, SetNoDelay, StreamPeerTls.Poll). */
  NoConnection = 'GDWS_NO_CONNECTION',
}

const emitted = new Set<WarningCode>();

/** Emits `message` as a process warning with `code`, unless a warning with that code was emitted before. */
export function warn(code: WarningCode, message: string): void {
  if (emitted.has(code)) return;
  emitted.add(code);
  process.emitWarning(message, { code, detail: 'Later warnings with this code are not shown.' });
}
