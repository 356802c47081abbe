/** Connected pairs over loopback: our own WebSocketPeers (openPair), or plain StreamPeerTcps (openTcpPair). */
import { Error, StreamPeerTcp, TcpServer, WebSocketPeer } from '../../src/index.js';
import { pollUntil } from './loop.js';

export interface Pair {
  server: WebSocketPeer;
  client: WebSocketPeer;
  tcpServer: TcpServer;
  port: number;
  close(): void;
}

export interface PairOptions {
  configureServer?: (peer: WebSocketPeer) => void;
  configureClient?: (peer: WebSocketPeer) => void;
  path?: string;
  host?: string;
}

export async function openPair(options: PairOptions = {}): Promise<Pair> {
  const tcpServer = new TcpServer();
  const bind = options.host === '::1' ? '::1' : '127.0.0.1';
  if (tcpServer.Listen(0, bind) !== Error.Ok) throw new globalThis.Error('listen failed');
  const port = tcpServer.GetLocalPort();
  const client = new WebSocketPeer();
  options.configureClient?.(client);
  const hostInUrl = bind === '::1' ? '[::1]' : '127.0.0.1';
  const result = client.ConnectToUrl(`ws://${hostInUrl}:${port}${options.path ?? '/'}`);
  if (result !== Error.Ok) throw new globalThis.Error(`ConnectToUrl returned ${result}`);
  const server = new WebSocketPeer();
  options.configureServer?.(server);
  let accepted = false;
  await pollUntil([client], () => {
    if (!accepted && tcpServer.IsConnectionAvailable()) {
      const stream = tcpServer.TakeConnection();
      if (server.AcceptStream(stream) !== Error.Ok) throw new globalThis.Error('AcceptStream failed');
      accepted = true;
    }
    if (accepted) server.Poll();
    if (client.GetReadyState() === WebSocketPeer.State.Closed || (accepted && server.GetReadyState() === WebSocketPeer.State.Closed)) {
      throw new globalThis.Error(`closed during the handshake: client "${client.GetCloseReason()}", server "${server.GetCloseReason()}"`);
    }
    return client.GetReadyState() === WebSocketPeer.State.Open && server.GetReadyState() === WebSocketPeer.State.Open;
  }, 5000, 'both peers Open');
  return {
    server,
    client,
    tcpServer,
    port,
    close() {
      client.Dispose();
      server.Dispose();
      tcpServer.Stop();
    },
  };
}

export interface TcpPair {
  /** The side that connected. */
  client: StreamPeerTcp;
  /** The side the TcpServer accepted. */
  server: StreamPeerTcp;
  listener: TcpServer;
  close(): void;
}

/** A StreamPeerTcp connected to one a TcpServer accepted, both Connected. */
export async function openTcpPair(timeoutMs = 5000): Promise<TcpPair> {
  const listener = new TcpServer();
  const listened = listener.Listen(0, '127.0.0.1');
  if (listened !== Error.Ok) throw new globalThis.Error(`Listen returned ${listened}`);
  const client = new StreamPeerTcp();
  const connecting = client.ConnectToHost('127.0.0.1', listener.GetLocalPort());
  if (connecting !== Error.Ok) throw new globalThis.Error(`ConnectToHost returned ${connecting}`);
  await pollUntil([client], () => client.GetStatus() === StreamPeerTcp.Status.Connected && listener.IsConnectionAvailable(), timeoutMs, 'TCP connected');
  const server = listener.TakeConnection()!;
  return {
    client,
    server,
    listener,
    close() {
      client.DisconnectFromHost();
      server.DisconnectFromHost();
      listener.Stop();
    },
  };
}
