/**
 * TcpServer: a listening socket with Godot's poll-style accept (IsConnectionAvailable,
 * TakeConnection). Node accepts in the background; accepted sockets wait in a queue until taken.
 */
import cluster from 'node:cluster';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { Error } from '../core/error.js';
import { GodotObject, registerGodotClass } from '../core/godot-object.js';
import { native } from '../native/addon.js';
import { activity } from '../core/activity.js';
import { checkInteger, checkString } from '../core/arguments.js';
import { StreamPeerTcp } from './stream-peer-tcp.js';

/** Godot's listen backlog. */
const BACKLOG = 8;
const LISTEN_UNSUPPORTED = -1;
/** native listenSocket() failures → Godot's Listen() errors (any bind failure is AlreadyInUse). */
const LISTEN_ERRORS: Record<number, Error> = { [-2]: Error.InvalidParameter, [-3]: Error.CantCreate, [-4]: Error.AlreadyInUse, [-5]: Error.Failed };
/** Extension: at most this many accepted connections wait to be taken; more are refused. */
export const MAX_PENDING_CONNECTIONS = 1024;

export class TcpServer extends GodotObject {
  private server: Server | null = null;
  private listening = false;
  private pending: Socket[] = [];
  private localPort = 0;

  /**
   * Starts listening. bindAddress "*" listens on every IPv4 and IPv6 address, "0.0.0.0" IPv4
   * only, "::" IPv6 only, or one address. Port 0 picks a free port (GetLocalPort tells which).
   * A busy port or an address that is not local gives AlreadyInUse, as in Godot.
   */
  Listen(port: number, bindAddress = '*'): Error {
    checkInteger('Listen', port);
    checkString('Listen', bindAddress);
    if (this.server) return Error.AlreadyInUse;
    if (port < 0 || port > 65535) return Error.InvalidParameter;
    if (bindAddress !== '*' && isIP(bindAddress) === 0) return Error.InvalidParameter;
    return this.bind(port, bindAddress);
  }

  IsListening(): boolean {
    return this.listening;
  }

  IsConnectionAvailable(): boolean {
    this.dropClosedPending();
    return this.listening && this.pending.length > 0;
  }

  /** The oldest accepted connection as a Connected StreamPeerTcp, or null. */
  TakeConnection(): StreamPeerTcp | null {
    this.dropClosedPending();
    const socket = this.pending.shift();
    if (!socket) return null;
    const peer = StreamPeerTcp.fromAccepted(socket);
    // The stream's own listener takes over: one listener function instead of a list of two.
    socket.off('error', ignoreError);
    return peer;
  }

  GetLocalPort(): number {
    return this.localPort;
  }

  /** Stops listening; connections already taken are unaffected, untaken ones are closed. */
  Stop(): void {
    this.server?.close();
    this.server = null;
    this.listening = false;
    this.localPort = 0;
    for (const socket of this.pending) socket.destroy();
    this.pending = [];
  }

  protected override dispose(): void {
    this.Stop();
  }

  private bind(port: number, bindAddress: string): Error {
    const host = bindAddress === '*' ? '::' : bindAddress;
    // In a node:cluster worker the primary owns the listening socket: listen the Node way.
    if (cluster.isWorker) return this.bindAsync(port, host, bindAddress === '::');
    // Bind synchronously (native) so bind errors and the chosen port are known when Listen returns.
    const fd = native.listenSocket(host, port, bindAddress === '::', BACKLOG);
    if (fd === LISTEN_UNSUPPORTED) return this.bindAsync(port, host, bindAddress === '::');
    if (fd < 0) return LISTEN_ERRORS[fd] ?? Error.Failed;
    const server = this.createServer();
    server.listen({ fd });
    const address = server.address();
    if (address === null || typeof address === 'string') {
      server.close();
      return Error.Failed;
    }
    return this.started(server, address.port);
  }

  /** Platforms without the native bind: Node binds on a later tick; the port shows up then. */
  private bindAsync(port: number, host: string, ipv6Only: boolean): Error {
    const server = this.createServer();
    server.listen({ port, host, ipv6Only, backlog: BACKLOG }, () => {
      const address = server.address();
      if (address && typeof address !== 'string') this.localPort = address.port;
    });
    return this.started(server, port);
  }

  private createServer(): Server {
    const server = createServer({ noDelay: true });
    server.on('connection', (socket) => {
      socket.on('error', ignoreError);
      if (this.pending.length >= MAX_PENDING_CONNECTIONS) socket.destroy();
      else {
        this.pending.push(socket);
        activity();
      }
    });
    server.on('error', () => {
      this.listening = false;
    });
    return server;
  }

  private started(server: Server, port: number): Error {
    this.server = server;
    this.listening = true;
    this.localPort = port;
    return Error.Ok;
  }

  private dropClosedPending(): void {
    if (this.pending.some((s) => s.destroyed)) this.pending = this.pending.filter((s) => !s.destroyed);
  }
}

/** Errors of accepted sockets nobody has taken yet (an unhandled 'error' would end the process). */
function ignoreError(): void {}

registerGodotClass(TcpServer, {
  name: 'TCPServer',
  methods: {
    listen: 'Listen',
    is_listening: 'IsListening',
    is_connection_available: 'IsConnectionAvailable',
    take_connection: 'TakeConnection',
    get_local_port: 'GetLocalPort',
    stop: 'Stop',
  },
});
