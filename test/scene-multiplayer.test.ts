// SceneMultiplayer between Node peers on loopback: admission, relay, raw bytes, RPCs, path caching,
// authentication, and what a hostile client cannot do.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Error, GodotFloat, MultiplayerPeer, NodeMirror, Rpc, RpcMode, SceneMultiplayer, Vector2,
} from '../src/index.js';
import { pollFor, pollUntil } from './helpers/loop.js';
import { joinScene, startSceneServer, type SceneNode } from './helpers/multiplayer.js';

const reliable = { TransferMode: MultiplayerPeer.TransferModeEnum.Reliable };

/** The example's Main node: chat → chat_echo to all, ping between clients. */
class Main extends NodeMirror {
  static override Rpcs = {
    chat: Rpc(RpcMode.AnyPeer, reliable),
    chat_echo: Rpc(RpcMode.Authority, reliable),
    ping: Rpc(RpcMode.AnyPeer, reliable),
  };
  readonly log: string[] = [];
  chat(text: string) {
    const from = this.Multiplayer!.GetRemoteSenderId();
    this.log.push(`chat ${from} ${text}`);
    if (this.Multiplayer!.IsServer()) this.Rpc('chat_echo', from, text);
  }
  chat_echo(from: number, text: string) {
    this.log.push(`chat_echo ${this.Multiplayer!.GetRemoteSenderId()} ${from} ${text}`);
  }
  ping(n: number) {
    this.log.push(`ping ${this.Multiplayer!.GetRemoteSenderId()} ${n}`);
  }
}

const nodes: SceneNode[] = [];
afterEach(() => {
  for (const node of nodes.splice(0)) node.peer.Close();
});

async function world(clients: number) {
  const serverMain = new Main('Main');
  const server = startSceneServer([serverMain]);
  nodes.push(server);
  const joined: { node: SceneNode; main: Main }[] = [];
  for (let i = 0; i < clients; i++) {
    const main = new Main('Main');
    const node = await joinScene(server, [main], joined.map((j) => j.node.multiplayer));
    nodes.push(node);
    joined.push({ node, main });
  }
  const all = [server.multiplayer, ...joined.map((j) => j.node.multiplayer)];
  return { server, serverMain, clients: joined, all };
}

describe('SceneMultiplayer (Node ↔ Node)', () => {
  it('admits clients and tells each about the others (ADD_PEER / DEL_PEER)', async () => {
    const { server, clients, all } = await world(3);
    const [a, b, c] = clients.map((j) => j.node);
    const ids = [a!, b!, c!].map((n) => n.multiplayer.GetUniqueId());
    await pollUntil(all, () => clients.every((j) => j.node.multiplayer.GetPeers().length === 3));
    expect(server.multiplayer.GetPeers().sort()).toEqual([...ids].sort());
    expect(a!.multiplayer.GetPeers().sort()).toEqual([1, ids[1], ids[2]].sort());
    expect(a!.record.events).toEqual(['connected_to_server', 'connected 1', `connected ${ids[1]}`, `connected ${ids[2]}`]);
    expect(c!.record.events.slice(0, 2)).toEqual(['connected_to_server', 'connected 1']);
    expect(c!.record.events.slice(2).sort()).toEqual([`connected ${ids[0]}`, `connected ${ids[1]}`].sort());

    b!.peer.Close();
    await pollUntil(all, () => a!.multiplayer.GetPeers().length === 2 && server.multiplayer.GetPeers().length === 2);
    expect(server.record.events).toContain(`disconnected ${ids[1]}`);
    expect(a!.record.events.at(-1)).toBe(`disconnected ${ids[1]}`);
    expect(c!.record.events.at(-1)).toBe(`disconnected ${ids[1]}`);
    expect(b!.record.events.at(-1)).toBe('server_disconnected');
  });

  it('chat → chat_echo: the server sees the sender and answers every client', async () => {
    const { serverMain, clients, all } = await world(2);
    const [a, b] = clients;
    const idA = a!.node.multiplayer.GetUniqueId();
    expect(a!.main.RpcId(1, 'chat', 'hello')).toBe(Error.Ok);
    await pollUntil(all, () => a!.main.log.length === 1 && b!.main.log.length === 1);
    expect(serverMain.log).toEqual([`chat ${idA} hello`]);
    expect(a!.main.log).toEqual([`chat_echo 1 ${idA} hello`]);
    expect(b!.main.log).toEqual([`chat_echo 1 ${idA} hello`]);
    // The second call uses the cached path id.
    a!.main.RpcId(1, 'chat', 'again');
    await pollUntil(all, () => b!.main.log.length === 2);
    expect(b!.main.log[1]).toBe(`chat_echo 1 ${idA} again`);
  });

  it('ping between clients goes through the relay and arrives with the true sender', async () => {
    const { serverMain, clients, all } = await world(3);
    const [a, b, c] = clients;
    await pollUntil(all, () => clients.every((j) => j.node.multiplayer.GetPeers().length === 3));
    const [idA, idB] = [a!, b!].map((j) => j.node.multiplayer.GetUniqueId());
    expect(a!.main.RpcId(idB!, 'ping', 7)).toBe(Error.Ok);
    expect(b!.main.Rpc('ping', 100000)).toBe(Error.Ok); // to everyone: the server handles it too
    await pollUntil(all, () => b!.main.log.length === 1 && a!.main.log.length === 1 && c!.main.log.length === 1 && serverMain.log.length === 1);
    expect(b!.main.log).toEqual([`ping ${idA} 7`]);
    expect(a!.main.log).toEqual([`ping ${idB} 100000`]);
    expect(c!.main.log).toEqual([`ping ${idB} 100000`]);
    expect(serverMain.log).toEqual([`ping ${idB} 100000`]);
  });

  it('raw bytes both ways, including client to client', async () => {
    const { server, clients, all } = await world(2);
    const [a, b] = clients.map((j) => j.node);
    await pollUntil(all, () => a!.multiplayer.GetPeers().length === 2);
    const [idA, idB] = [a!, b!].map((n) => n.multiplayer.GetUniqueId());
    expect(server.multiplayer.SendBytes(Uint8Array.of(1, 2, 3), idA!)).toBe(Error.Ok);
    expect(a!.multiplayer.SendBytes(Uint8Array.of(4))).toBe(Error.Ok); // to all: the server and b
    expect(b!.multiplayer.SendBytes(Uint8Array.of(5), 1)).toBe(Error.Ok);
    expect(server.multiplayer.SendBytes(new Uint8Array(0))).toBe(Error.InvalidData);
    await pollUntil(all, () => server.record.packets.length === 2 && a!.record.packets.length === 1 && b!.record.packets.length === 1);
    expect(a!.record.packets).toEqual([[1, [1, 2, 3]]]);
    expect(b!.record.packets).toEqual([[idA, [4]]]);
    expect(server.record.packets.sort()).toEqual([[idA, [4]], [idB, [5]]].sort());
  });

  it('carries every argument kind and call_local runs here with this side as the sender', async () => {
    class Kinds extends NodeMirror {
      static override Rpcs = { take: Rpc(RpcMode.AnyPeer, { CallLocal: true }), bytes: Rpc(RpcMode.AnyPeer), none: Rpc(RpcMode.AnyPeer) };
      readonly got: unknown[] = [];
      take(...args: unknown[]) {
        this.got.push([this.Multiplayer!.GetRemoteSenderId(), ...args]);
      }
      bytes(data: Uint8Array) {
        this.got.push(['bytes', [...data]]);
      }
      none(...args: unknown[]) {
        this.got.push(['none', args.length]);
      }
    }
    const serverKinds = new Kinds('Main/Kinds');
    const server = startSceneServer([serverKinds]);
    nodes.push(server);
    const clientKinds = new Kinds('Main/Kinds');
    const client = await joinScene(server, [clientKinds]);
    nodes.push(client);
    const args = [true, false, 0, -128, 300, -40000, 2 ** 40, 2n ** 62n, new GodotFloat(1), 0.5, 'ünï', new Vector2(1, 2), [1, 'a'], null];
    expect(clientKinds.RpcId(1, 'take', ...args)).toBe(Error.Ok);
    expect(clientKinds.got).toEqual([]); // call_local, but not called for a single other target
    expect(clientKinds.Rpc('take', 'both')).toBe(Error.Ok); // to all: also here, as sender = self
    expect(clientKinds.got).toEqual([[client.multiplayer.GetUniqueId(), 'both']]);
    expect(clientKinds.RpcId(1, 'bytes', Uint8Array.of(9, 8))).toBe(Error.Ok);
    expect(clientKinds.RpcId(1, 'none')).toBe(Error.Ok);
    await pollUntil([server.multiplayer, client.multiplayer], () => serverKinds.got.length === 4);
    const id = client.multiplayer.GetUniqueId();
    expect(serverKinds.got[0]).toEqual([id, ...args]);
    expect(serverKinds.got.slice(1)).toEqual([[id, 'both'], ['bytes', [9, 8]], ['none', 0]]);
  });

  it('refuses RPC calls Godot refuses, with Error values', async () => {
    const { serverMain, clients } = await world(1);
    const a = clients[0]!;
    expect(a.main.RpcId(1, 'missing')).toBe(Error.InvalidParameter);
    expect(a.main.RpcId(a.node.multiplayer.GetUniqueId(), 'chat', 'x')).toBe(Error.InvalidParameter); // not call_local
    expect(a.main.RpcId(424242, 'chat', 'x')).toBe(Error.InvalidParameter); // Godot: prints, returns Ok
    expect(() => a.main.RpcId(1, 'chat', () => 1)).toThrow(TypeError);
    const stray = new Main('Stray');
    expect(stray.Rpc('chat', 'x')).toBe(Error.Unconfigured);
    expect(serverMain.Rpc('chat_echo', 1, 'x')).toBe(Error.Ok);
  });

  it('a client cannot call an authority RPC on the server, nor an undeclared one, and the server says why', async () => {
    const { server, serverMain, clients, all } = await world(1);
    const a = clients[0]!;
    // The client's mirror claims chat_echo is any_peer, so it sends it; the server's says authority.
    const rogue = new NodeMirror('Main', { chat: Rpc(RpcMode.AnyPeer), chat_echo: Rpc(RpcMode.AnyPeer), ping: Rpc(RpcMode.AnyPeer), zzz: Rpc(RpcMode.AnyPeer) });
    a.node.multiplayer.RemoveMirror(a.main);
    a.node.multiplayer.AddMirror(rogue);
    expect(rogue.RpcId(1, 'chat_echo', 5, 'forged')).toBe(Error.Ok);
    expect(rogue.RpcId(1, 'zzz')).toBe(Error.Ok); // id 3: the server's Main has ids 0-2
    await pollUntil(all, () => server.record.errors.length >= 3);
    expect(server.record.errorNames()).toEqual(['RPC_CHECKSUM_MISMATCH', 'RPC_NOT_ALLOWED', 'UNKNOWN_METHOD']);
    expect(server.record.errors[1]![1]).toMatch(/"chat_echo".*Authority.*authority is 1/);
    expect(serverMain.log).toEqual([]);
  });

  it('a handler that throws is reported and the server keeps going', async () => {
    const { server, serverMain, clients, all } = await world(1);
    serverMain.chat = () => {
      throw new globalThis.Error('boom');
    };
    clients[0]!.main.RpcId(1, 'chat', 'x');
    clients[0]!.main.RpcId(1, 'ping', 1);
    await pollUntil(all, () => serverMain.log.length === 1);
    expect(server.record.errorNames()).toEqual(['HANDLER_FAILED']);
    expect(server.record.errors[0]![1]).toMatch(/boom/);
  });

  it('MultiplayerSpawner / Synchronizer packets are refused with a reason', async () => {
    const { server, clients, all } = await world(1);
    const peer = clients[0]!.node.peer;
    for (const command of [4, 5, 6]) peer.PutPacket(Uint8Array.of(command, 1, 2, 3));
    await pollUntil(all, () => server.record.errors.length === 3);
    expect(server.record.errorNames()).toEqual(['UNSUPPORTED_COMMAND', 'UNSUPPORTED_COMMAND', 'UNSUPPORTED_COMMAND']);
    expect(server.record.errors[0]![1]).toMatch(/SPAWN.*MultiplayerSpawner/);
  });

  it('garbage from a client is reported and dropped; the server and the other clients carry on', async () => {
    const { server, serverMain, clients, all } = await world(2);
    const [a, b] = clients;
    const peer = a!.node.peer;
    const garbage = [
      [7], // SYS too short
      [7, 9, 0, 0, 0, 0], // unknown SYS command
      [7, 1, 5, 0, 0, 0], // ADD_PEER from a client
      [7, 3, 0, 0, 0, 0], // RELAY without a packet
      [0x30], // RPC with node id size 3
      [0, 200, 0], // RPC naming a cache id never registered
      [0x20, 0, 0, 0, 0x80, 0], // RPC whose path offset points outside the packet
      [1, 1, 2], // SIMPLIFY_PATH too short
      [2, 1, 0, 0, 0], // CONFIRM_PATH of 5 bytes
      [3], // raw without bytes
      [7, 0, 1, 2], // auth data after admission
    ];
    for (const bytes of garbage) peer.PutPacket(Uint8Array.from(bytes));
    await pollUntil(all, () => server.record.errors.length === garbage.length);
    expect(server.record.errorNames()).toEqual([
      'BAD_SYS', 'BAD_SYS', 'SYS_NOT_ALLOWED', 'BAD_SYS', 'BAD_RPC', 'UNKNOWN_PATH_ID', 'BAD_RPC',
      'BAD_PATH_PACKET', 'BAD_PATH_PACKET', 'BAD_RAW', 'BAD_SYS',
    ]);
    b!.main.RpcId(1, 'chat', 'still here');
    await pollUntil(all, () => serverMain.log.length === 1);
  });

  it('a client cannot make the server relay to itself, to the server, or relay SYS packets (spoofing)', async () => {
    const { server, clients, all } = await world(2);
    const [a, b] = clients;
    await pollUntil(all, () => a!.node.multiplayer.GetPeers().length === 2);
    const idA = a!.node.multiplayer.GetUniqueId();
    const idB = b!.node.multiplayer.GetUniqueId();
    const relay = (target: number, inner: number[]) => {
      const packet = new Uint8Array(6 + inner.length);
      packet[0] = 7;
      packet[1] = 3;
      new DataView(packet.buffer).setInt32(2, target, true);
      packet.set(inner, 6);
      return packet;
    };
    const peer = a!.node.peer;
    peer.PutPacket(relay(idA, [3, 1])); // back to itself
    peer.PutPacket(relay(1, [3, 2])); // "relay" to the server
    peer.PutPacket(relay(0x7ffffff0, [3, 3])); // to a peer that is not there (or just left): dropped, no report
    peer.PutPacket(relay(idB, [7, 1, 1, 0, 0, 0])); // a forged ADD_PEER inside
    peer.PutPacket(relay(idB, [7, 3, 0xff, 0, 0, 0, 3, 9])); // a relay inside a relay, forging sender 255
    peer.PutPacket(relay(idB, [3, 42])); // honest: arrives from idA
    await pollUntil(all, () => b!.node.record.packets.length === 1 && server.record.errors.length === 4);
    expect(server.record.errorNames()).toEqual(['RELAY_TO_SELF', 'RELAY_TO_SERVER', 'RELAY_NESTED', 'RELAY_NESTED']);
    expect(b!.node.record.packets).toEqual([[idA, [42]]]);
    expect(b!.node.record.errors).toEqual([]);
    expect(a!.node.record.packets).toEqual([]);
    await pollFor(all, 30);
    expect(b!.node.multiplayer.GetPeers().sort()).toEqual([1, idA].sort());
  });

  it('bounds the node paths one peer may register (MaxCachedPaths)', async () => {
    const { server, serverMain, clients, all } = await world(1);
    server.multiplayer.MaxCachedPaths = 2;
    const checksum = Buffer.from(new Main('x').rpcTable().checksum);
    const simplify = (id: number) => {
      const path = Buffer.from('Main\0');
      const packet = Buffer.alloc(1 + 33 + 4 + path.length);
      packet[0] = 1;
      checksum.copy(packet, 1);
      packet.writeUInt32LE(id, 34);
      path.copy(packet, 38);
      return packet;
    };
    const peer = clients[0]!.node.peer;
    for (const id of [100, 101, 101, 102]) peer.PutPacket(simplify(id));
    await pollUntil(all, () => server.record.errors.length === 2);
    expect(server.record.errorNames()).toEqual(['DUPLICATE_PATH_ID', 'PATH_CACHE_FULL']);
    // id 100 works: [RPC, node u8 = 100, method 2 (ping), 1 argument, int 5]
    peer.PutPacket(Uint8Array.of(0, 100, 2, 1, 2, 5));
    await pollUntil(all, () => serverMain.log.length === 1);
    expect(serverMain.log).toEqual([`ping ${clients[0]!.node.multiplayer.GetUniqueId()} 5`]);
  });

  it('authentication: both sides exchange data, complete, then admit; silence times out', async () => {
    const server = startSceneServer([new Main('Main')]);
    nodes.push(server);
    const serverLog: string[] = [];
    server.multiplayer.AuthCallback = (id, data) => {
      serverLog.push(`${Buffer.from(data)}`);
      if (Buffer.from(data).toString() === 'secret') {
        server.multiplayer.SendAuth(id, Buffer.from('welcome'));
        server.multiplayer.CompleteAuth(id);
      }
    };
    server.multiplayer.AuthTimeout = 0.5;
    server.multiplayer.PeerAuthenticating.Connect((id) => serverLog.push(`authenticating ${id}`));
    server.multiplayer.PeerAuthenticationFailed.Connect((id) => serverLog.push(`failed ${id}`));

    const join = (password: string | null) => {
      const peer = new (server.peer.constructor as typeof import('../src/index.js').WebSocketMultiplayerPeer)();
      peer.CreateClient(`ws://127.0.0.1:${server.peer.GetLocalPort()}/`);
      const multiplayer = new SceneMultiplayer();
      const log: string[] = [];
      multiplayer.AuthCallback = (id, data) => {
        log.push(`${id} ${Buffer.from(data)}`);
        multiplayer.CompleteAuth(id);
      };
      multiplayer.PeerAuthenticating.Connect((id) => {
        log.push(`authenticating ${id}`);
        if (password !== null) multiplayer.SendAuth(id, Buffer.from(password));
      });
      multiplayer.ConnectedToServer.Connect(() => log.push('connected_to_server'));
      multiplayer.MultiplayerPeer = peer;
      nodes.push({ peer, multiplayer } as SceneNode);
      return { peer, multiplayer, log };
    };
    const good = join('secret');
    const silent = join(null);
    const goodId = () => good.peer.GetUniqueId();
    await pollUntil([server.multiplayer, good.multiplayer, silent.multiplayer], () => good.log.includes('connected_to_server') && server.multiplayer.GetPeers().length === 1);
    expect(good.log).toEqual(['authenticating 1', '1 welcome', 'connected_to_server']);
    expect(server.multiplayer.GetPeers()).toEqual([goodId()]);
    expect(server.multiplayer.SendAuth(goodId(), Buffer.from('late'))).toBe(Error.InvalidParameter);

    const silentId = silent.peer.GetUniqueId();
    expect(server.multiplayer.GetAuthenticatingPeers()).toEqual([silentId]);
    // While pending, anything but authentication is dropped with a reason.
    silent.peer.PutPacket(Uint8Array.of(3, 1));
    await pollUntil([server.multiplayer, good.multiplayer, silent.multiplayer], () => serverLog.includes(`failed ${silentId}`), 3000);
    expect(server.record.errorNames()).toEqual(['AUTH_PENDING']);
    expect(serverLog).toEqual(expect.arrayContaining([`authenticating ${goodId()}`, 'secret', `authenticating ${silentId}`, `failed ${silentId}`]));
    expect(server.multiplayer.GetPeers()).toEqual([goodId()]);
    await pollUntil([server.multiplayer, silent.multiplayer], () => silent.peer.GetConnectionStatus() === MultiplayerPeer.ConnectionStatus.Disconnected);
  });

  it('wire bytes: SIMPLIFY_PATH, the first call with its path, CONFIRM_PATH, then the short form', async () => {
    const { server, clients, all } = await world(1);
    const a = clients[0]!;
    const sent: number[][] = [];
    const put = a.node.peer.PutPacket.bind(a.node.peer);
    a.node.peer.PutPacket = (bytes: Uint8Array) => {
      sent.push([...bytes]);
      return put(bytes);
    };
    const received: number[][] = [];
    const serverPut = server.peer.PutPacket.bind(server.peer);
    server.peer.PutPacket = (bytes: Uint8Array) => {
      received.push([...bytes]);
      return serverPut(bytes);
    };
    a.main.RpcId(1, 'ping', 5);
    await pollUntil(all, () => received.length === 1);
    await pollFor(all, 50); // the client reads CONFIRM_PATH
    a.main.RpcId(1, 'ping', 300);
    const md5 = [...Buffer.from(new Main('Main').rpcTable().checksum)];
    expect(sent[0]).toEqual([1, ...md5, 0, 1, 0, 0, 0, ...Buffer.from('Main'), 0]);
    // node u32 = 0x80000000 | 9 (offset of the path), method id 2 (ping: chat < chat_echo < ping), 1 arg, int8 5.
    expect(sent[1]).toEqual([0x20, 9, 0, 0, 0x80, 2, 1, 2, 5, ...Buffer.from('Main'), 0]);
    expect(received[0]).toEqual([2, 1, 1, 0, 0, 0]);
    expect(sent[2]).toEqual([0, 1, 2, 1, 0x42, 0x2c, 0x01]);
  });

  it('survives random packets from a client (and relays of them), then still serves the others', async () => {
    const { server, serverMain, clients, all } = await world(2);
    const [a, b] = clients;
    await pollUntil(all, () => a!.node.multiplayer.GetPeers().length === 2);
    const idB = b!.node.multiplayer.GetUniqueId();
    // Packets shaped like each command (random flags and bodies), plus relays of them to b and to all.
    const body = fc.uint8Array({ minLength: 0, maxLength: 64 });
    const packet = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 255 }), body).map(([head, rest]) => Uint8Array.of(head, ...rest)),
      fc.tuple(fc.constantFrom(idB, 0, -idB, 1, 12345), fc.integer({ min: 0, max: 6 }), body).map(([target, command, rest]) => {
        const out = new Uint8Array(7 + rest.length);
        out[0] = 7;
        out[1] = 3;
        new DataView(out.buffer).setInt32(2, target, true);
        out[6] = command | (rest[0] ?? 0) & 0xf0;
        out.set(rest, 7);
        return out;
      }),
    );
    const packets = fc.sample(packet, { numRuns: 400, seed: 13 });
    for (let i = 0; i < packets.length; i += 50) {
      for (const bytes of packets.slice(i, i + 50)) if (bytes.length > 0) a!.node.peer.PutPacket(bytes);
      await pollFor(all, 20);
    }
    await pollFor(all, 100);
    expect(server.record.errors.length).toBeGreaterThan(100);
    expect(a!.node.peer.GetConnectionStatus()).toBe(MultiplayerPeer.ConnectionStatus.Connected);
    serverMain.log.length = 0;
    b!.main.RpcId(1, 'chat', 'after the storm');
    await pollUntil(all, () => serverMain.log.includes(`chat ${idB} after the storm`));
  });
});
