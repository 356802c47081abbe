// Assertions and cleanup shared by the interop suites (the harness self-check and our peer's
// interop tests): every peer reports the same shapes, so the same checks read every report.
import { afterEach, expect } from 'vitest';
import { describeClient, type ClientReport, type PeerMessage, type PeerServer, type ServerConnection } from './reports.js';

/** Servers and proxies started by a test are stopped afterwards, even when it failed. */
export function trackPeers(): <T extends { stop(): Promise<unknown> }>(x: T) => T {
  const running: { stop(): Promise<unknown> }[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((x) => x.stop()));
  });
  return (x) => {
    running.push(x);
    return x;
  };
}

/** Every message came back identical and with its frame type, and the run completed. */
export function expectAllEchoed(r: ClientReport, messages: readonly PeerMessage[]): void {
  expect(r.opened, describeClient(r)).toBe(true);
  expect(r.echoes.map((e) => [e.kind, e.echoKind, e.echoSize, e.ok])).toEqual(
    messages.map((m) => [m.kind, m.kind, m.data.length, true]));
  expect(r.allEchoed).toBe(true);
  expect(r.failure).toBeNull();
}

/** What the server received, without the close command. */
export function expectServerSaw(conn: ServerConnection, messages: readonly PeerMessage[]): void {
  expect(conn.messages.filter((m) => !m.command).map((m) => [m.kind, m.size])).toEqual(
    messages.map((m) => [m.kind, m.data.length]));
  expect(conn.messages[0]!.headHex).toBe(Buffer.from(messages[0]!.data).toString('hex'));
}

export async function onlyConnection(server: PeerServer): Promise<ServerConnection> {
  const report = await server.waitForDisconnects(1);
  expect(report.connections).toHaveLength(1);
  return report.connections[0]!;
}
