/**
 * One TLS session over a raw socket taken from a StreamPeerTcp: Node's TLSSocket does the
 * handshake in the background; this records what happened (secured, failed and why) for
 * StreamPeerTls.Poll() to publish, and checks a client's view of the server's certificate.
 * @internal
 */
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { checkServerIdentity, connect, TLSSocket, type SecureContext } from 'node:tls';
import { SocketPipe } from '../net/socket-pipe.js';
import { activity } from '../core/activity.js';

export type SessionFailureKind = 'error' | 'hostname-mismatch';
export type SessionProgress = 'pending' | 'ready' | { kind: SessionFailureKind; reason: string };

/** What a client checks once the handshake is done. */
export interface ServerCheck {
  /** The chain must verify against the context's CAs. */
  readonly verifyChain: boolean;
  /** The certificate must be valid for this name; null: not checked. */
  readonly hostname: string | null;
}

export interface Lockable {
  lock(): void;
  unlock(): void;
}

export class TlsSession {
  readonly pipe: SocketPipe;
  private secured = false;
  private handshakeFailure: string | null = null;
  private closed = false;

  private constructor(
    private readonly socket: TLSSocket,
    private readonly check: ServerCheck | null,
    private readonly held: readonly Lockable[],
  ) {
    for (const resource of held) resource.lock();
    socket.once(check ? 'secureConnect' : 'secure', () => {
      this.secured = true;
      activity();
    });
    socket.on('error', (error: Error) => {
      if (!this.secured) this.handshakeFailure ??= `TLS handshake failed: ${describeTlsError(error)}${plainTextHint(error, check !== null)}`;
    });
    socket.once('close', () => {
      if (!this.secured) this.handshakeFailure ??= 'the connection closed during the TLS handshake';
    });
    this.pipe = new SocketPipe(socket);
  }

  /** Starts a client handshake; SNI is `serverName` unless it is an IP address (RFC 6066). */
  static client(raw: Socket, context: SecureContext, serverName: string, check: ServerCheck, held: readonly Lockable[]): TlsSession {
    const socket = connect({
      socket: raw,
      secureContext: context,
      servername: serverName !== '' && isIP(serverName) === 0 ? serverName : undefined,
      // Verification happens in progress(), so a hostname mismatch can be told apart from the rest:
      // Node's own name check is off so that `authorized` speaks for the chain alone.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    return new TlsSession(socket, check, held);
  }

  /** Starts a server handshake. No client certificate is requested (as in Godot). */
  static server(raw: Socket, context: SecureContext, held: readonly Lockable[]): TlsSession {
    const socket = new TLSSocket(raw, { isServer: true, secureContext: context, requestCert: false, rejectUnauthorized: false });
    return new TlsSession(socket, null, held);
  }

  /** A server session whose handshake Node already completed (an https.Server's socket). */
  static established(socket: TLSSocket): TlsSession {
    const session = new TlsSession(socket, null, []);
    session.secured = true;
    return session;
  }

  /** The handshake's outcome so far. A client that finds the server's certificate wanting fails here. */
  progress(): SessionProgress {
    if (this.handshakeFailure !== null) return { kind: 'error', reason: this.handshakeFailure };
    if (!this.secured) return 'pending';
    const failure = this.check ? verifyServer(this.socket, this.check) : null;
    return failure ?? 'ready';
  }

  /** Graceful: close_notify and FIN after pending writes. Otherwise the socket is dropped at once. */
  close(graceful: boolean): void {
    if (this.closed) return;
    this.closed = true;
    for (const resource of this.held) resource.unlock();
    if (!graceful || this.socket.destroyed) {
      this.pipe.destroy();
      return;
    }
    // close_notify and FIN; the pipe drops what still arrives and the socket after LINGER_MS.
    this.pipe.end();
  }
}

/** OpenSSL's words and Node's code ("wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)"), not its raw error line. */
function describeTlsError(error: Error): string {
  const { reason, code } = error as Error & { reason?: string; code?: string };
  if (reason && code) return `${reason} (${code})`;
  return error.message.trim();
}

/** OpenSSL's errors for a peer that speaks plain text where TLS was expected. */
const CLIENT_GOT_PLAIN = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_UNEXPECTED_EOF_WHILE_READING']);
const SERVER_GOT_PLAIN = new Set(['ERR_SSL_HTTP_REQUEST', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

function plainTextHint(error: Error, isClient: boolean): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (isClient && CLIENT_GOT_PLAIN.has(code)) return ' (the server does not speak TLS: is it a ws:// server?)';
  if (!isClient && SERVER_GOT_PLAIN.has(code)) return ' (the client does not speak TLS: it connected with ws:// to a wss:// server)';
  return '';
}

function verifyServer(socket: TLSSocket, check: ServerCheck): SessionProgress | null {
  if (check.verifyChain && !socket.authorized) {
    return { kind: 'error', reason: `the server's certificate is not trusted: ${describeVerifyError(socket.authorizationError)}` };
  }
  if (check.hostname !== null) {
    const mismatch = checkServerIdentity(check.hostname, socket.getPeerCertificate());
    if (mismatch) {
      const detail = (mismatch as Error & { reason?: string }).reason ?? mismatch.message;
      return { kind: 'hostname-mismatch', reason: `the server's certificate is not valid for "${check.hostname}": ${detail}` };
    }
  }
  return null;
}

/** OpenSSL verify codes (Node reports the code as a string) in words. */
const VERIFY_ERRORS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  UNABLE_TO_GET_ISSUER_CERT: 'it was not issued by a trusted certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it was not issued by a trusted certificate authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it was not issued by a trusted certificate authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in an untrusted self-signed certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  CERT_REVOKED: 'it has been revoked',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  INVALID_CA: 'an issuer in its chain is not a certificate authority',
  INVALID_PURPOSE: 'it is not meant for TLS servers',
};

function describeVerifyError(error: unknown): string {
  const code = typeof error === 'string' ? error : String((error as { code?: unknown } | null)?.code ?? error);
  const words = VERIFY_ERRORS[code];
  return words ? `${words} (${code})` : code;
}
