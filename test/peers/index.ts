// Harnesses that start and drive the real WebSocket peers for interop tests.
// See test/peers/README.md for the API and each peer's quirks.
export * from './reports.js';
export { runWsClient, startWsEchoServer, type WsClientOptions, type WsServerOptions } from './ws.js';
export {
  runGodot3Client, startGodot3Server, GODOT3_BIN, GODOT3_REASON_SUFFIX, GODOT3_DEFAULT_MAX_MESSAGE,
  type Godot3Options,
} from './godot3.js';
export { runAutobahnClient, startAutobahnServer, SYSTEM_PYTHON, type AutobahnOptions } from './autobahn.js';
export {
  launchBrowser, runBrowserClient, CHROMIUM_BIN, CHROMIUM_ARGS, CHROMIUM_DEFAULT_CLOSE, type BrowserHandle,
} from './chromium.js';
export { startNginxProxy, NGINX_BIN, type NginxProxy, type NginxOptions } from './nginx.js';
