/**
 * The GDScript face of the TLS classes: snake_case methods, TLSOptions.client/client_unsafe/server,
 * StreamPeerTLS.STATUS_* — and a wss exchange written the way a GDScript port reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CryptoKey, StreamPeerTLS, TLSOptions, X509Certificate } from '../src/gdscript.js';
import { ERR_INVALID_PARAMETER, ERR_UNCONFIGURED, OK, TCPServer, WebSocketPeer } from '../src/gdscript.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { pollUntil } from './helpers/loop.js';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

describe('TLS classes under their GDScript names', () => {
  it('has the snake_case methods, static constructors and STATUS_ constants', () => {
    const key = new CryptoKey();
    expect(key.load_from_string(pki.server.key)).toBe(OK);
    expect(key.is_public_only()).toBe(false);
    expect(key.save_to_string(true)).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const cert = new X509Certificate();
    expect(cert.load_from_string(pki.server.chain)).toBe(OK);
    expect(cert.save_to_string()).toMatch(/^-----BEGIN CERTIFICATE-----/);

    const server = TLSOptions.server(key, cert);
    expect(server.is_server()).toBe(true);
    expect(server.get_private_key()).toBe(key);
    expect(server.get_own_certificate()).toBe(cert);
    const client = TLSOptions.client(cert, 'example.org');
    expect([client.is_server(), client.is_unsafe_client(), client.get_common_name_override()]).toEqual([false, false, 'example.org']);
    expect(client.get_trusted_ca_chain()).toBe(cert);
    expect(TLSOptions.client_unsafe().is_unsafe_client()).toBe(true);

    expect([
      StreamPeerTLS.STATUS_DISCONNECTED, StreamPeerTLS.STATUS_HANDSHAKING, StreamPeerTLS.STATUS_CONNECTED,
      StreamPeerTLS.STATUS_ERROR, StreamPeerTLS.STATUS_ERROR_HOSTNAME_MISMATCH,
    ]).toEqual([0, 1, 2, 3, 4]);
    const tls = new StreamPeerTLS();
    expect(tls.get_status()).toBe(StreamPeerTLS.STATUS_DISCONNECTED);
    expect(tls.get_stream()).toBe(null);
    expect(tls.connect_to_stream(null as never, 'localhost')).toBe(ERR_INVALID_PARAMETER);
    expect(tls.put_data(new Uint8Array([1]))).toBe(ERR_UNCONFIGURED);
  });

  it('runs a wss exchange written as in GDScript', async () => {
    const key = new CryptoKey();
    key.load_from_string(pki.server.key);
    const cert = new X509Certificate();
    cert.load_from_string(pki.server.chain);
    const ca = new X509Certificate();
    ca.load_from_string(pki.ca.cert);

    const tcpServer = new TCPServer();
    expect(tcpServer.listen(0, '127.0.0.1')).toBe(OK);
    const port = tcpServer.get_local_port();
    const client = new WebSocketPeer();
    expect(client.connect_to_url(`wss://localhost:${port}/`, TLSOptions.client(ca))).toBe(OK);
    const server = new WebSocketPeer();
    let accepted = false;
    try {
      await pollUntil([client], () => {
        if (!accepted && tcpServer.is_connection_available()) {
          const tls = new StreamPeerTLS();
          expect(tls.accept_stream(tcpServer.take_connection()!, TLSOptions.server(key, cert))).toBe(OK);
          expect(server.accept_stream(tls)).toBe(OK);
          accepted = true;
        }
        if (accepted) server.poll();
        return client.get_ready_state() === WebSocketPeer.STATE_OPEN && server.get_ready_state() === WebSocketPeer.STATE_OPEN;
      }, 5000, 'both open');
      expect(server.get_requested_url()).toBe(`wss://localhost:${port}/`);
      expect(client.send_text('hello')).toBe(OK);
      await pollUntil([client, server], () => server.get_available_packet_count() > 0, 3000, 'a packet');
      expect(new TextDecoder().decode(server.get_packet())).toBe('hello');
      expect(server.was_string_packet()).toBe(true);
    } finally {
      client.Dispose();
      server.Dispose();
      tcpServer.stop();
    }
  });
});
