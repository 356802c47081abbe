// The warning policy (README "Warnings"): where Godot prints an error and carries on, a process
// warning with a GDWS_ code, once per code per process; nothing else is ever printed or emitted.
// Vitest runs each test file in its own process, so this file starts with no warning emitted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamPeerTls, WarningCode, WebSocketPeer } from '../src/index.js';

const seen: { name: string; code: string | undefined; message: string }[] = [];
const listener = (warning: Error & { code?: string }) => seen.push({ name: warning.name, code: warning.code, message: warning.message });

beforeAll(() => {
  process.on('warning', listener);
});
afterAll(() => {
  process.off('warning', listener);
});

/** Warnings are emitted on the next tick. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('warnings', () => {
  it('emits one GDWS_IGNORED_VALUE warning however many values are ignored', async () => {
    const peer = new WebSocketPeer();
    peer.HeartbeatInterval = -1;
    peer.HeartbeatInterval = -2;
    peer.EncodeBufferMaxSize = 10;
    await settle();
    expect(peer.HeartbeatInterval).toBe(0);
    expect(peer.EncodeBufferMaxSize).toBe(8 * 1024 * 1024);
    const ignored = seen.filter((w) => w.code === WarningCode.IgnoredValue);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]!.code).toBe('GDWS_IGNORED_VALUE');
    expect(ignored[0]!.name).toBe('Warning');
    expect(ignored[0]!.message).toContain('HeartbeatInterval');
  });

  it('emits one GDWS_NO_CONNECTION warning for calls that need a connection', async () => {
    const peer = new WebSocketPeer();
    expect(peer.GetConnectedHost()).toBe('');
    expect(peer.GetConnectedPort()).toBe(0);
    peer.SetNoDelay(true);
    new StreamPeerTls().Poll();
    await settle();
    const noConnection = seen.filter((w) => w.code === WarningCode.NoConnection);
    expect(noConnection).toHaveLength(1);
    expect(noConnection[0]!.message).toContain('GetConnectedHost');
  });

  it('emits nothing else: failures are Error values and reasons', async () => {
    const before = seen.length;
    const peer = new WebSocketPeer();
    peer.ConnectToUrl('http://example.com/');
    peer.ConnectToUrl('ws://[::1/');
    peer.Send(new Uint8Array(1));
    peer.GetPacket();
    peer.Close();
    await settle();
    expect(seen.slice(before)).toEqual([]);
    expect(seen.every((w) => w.code?.startsWith('GDWS_'))).toBe(true);
  });
});
