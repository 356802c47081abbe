import { describe, expect, it } from 'vitest';
import { Error, GodotError, StreamPeerTcp, TcpServer, WebSocketPeer } from '../src/index.js';

/** Reaches the protected engine-binding members the way a GodotSharp subclass would. */
class ToolPeer extends WebSocketPeer {
  has(method: string) { return this.HasGodotClassMethod(method); }
  hasSignal(signal: string) { return this.HasGodotClassSignal(signal); }
  invoke(method: string, args: unknown[]) {
    const ret: { value?: unknown } = {};
    const found = this.InvokeGodotClassMethod(method, args, ret);
    return { found, value: ret.value };
  }
}

describe('engine-binding members', () => {
  it('find methods by their Godot names through the class chain', () => {
    const peer = new ToolPeer();
    expect(peer.has('connect_to_url')).toBe(true);
    expect(peer.has('get_packet')).toBe(true); // PacketPeer's
    expect(peer.has('set_heartbeat_interval')).toBe(true);
    expect(peer.has('ConnectToUrl')).toBe(false); // Godot names only
    expect(peer.has('no_such_method')).toBe(false);
    expect(peer.hasSignal('connection_closed')).toBe(false); // Godot 4's WebSocketPeer has none
  });

  it('invoke methods and property accessors by their Godot names', () => {
    const peer = new ToolPeer();
    expect(peer.invoke('get_ready_state', [])).toEqual({ found: true, value: WebSocketPeer.State.Closed });
    expect(peer.invoke('set_inbound_buffer_size', [1024]).found).toBe(true);
    expect(peer.InboundBufferSize).toBe(1024);
    expect(peer.invoke('get_inbound_buffer_size', [])).toEqual({ found: true, value: 1024 });
    expect(peer.invoke('connect_to_url', [''])).toEqual({ found: true, value: Error.InvalidParameter });
    expect(peer.invoke('no_such_method', []).found).toBe(false);
  });

  it('dispose once, also through Symbol.dispose', () => {
    const server = new TcpServer();
    server.Listen(0, '127.0.0.1');
    {
      using disposable = server;
      expect(disposable.IsListening()).toBe(true);
    }
    expect(server.IsListening()).toBe(false);
    server.Dispose();
    const tcp = new StreamPeerTcp();
    tcp[Symbol.dispose]();
    expect(tcp.GetStatus()).toBe(StreamPeerTcp.Status.None);
  });
});

describe('Error', () => {
  it('has Godot numbers 0-48 under the C# names, also as GodotError', () => {
    const numbers = Object.values(Error).filter((v) => typeof v === 'number');
    expect(numbers).toEqual(Array.from({ length: 49 }, (_, i) => i));
    expect([Error.Ok, Error.Failed, Error.Unavailable, Error.OutOfMemory, Error.FileEof, Error.AlreadyInUse,
      Error.ConnectionError, Error.InvalidData, Error.InvalidParameter, Error.Busy, Error.PrinterOnFire])
      .toEqual([0, 1, 2, 6, 18, 22, 27, 30, 31, 44, 48]);
    expect(GodotError).toBe(Error);
  });
});
