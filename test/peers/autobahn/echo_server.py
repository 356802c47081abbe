"""Autobahn|Python (asyncio) WebSocket echo server driven by test/peers/autobahn.ts.

Usage: /usr/bin/python3 echo_server.py CONFIG.json

The config holds port (0 = any free port), protocols (subprotocols it accepts, in order of the
client's offer), clients (stop after that many disconnects; 0 = until SIGTERM), deflate (accept
permessage-deflate offers) and timeout_ms (0 = none). Binds 127.0.0.1 only, echoes every message
with its own frame type, and closes a client with CODE and REASON when it receives the text
"close:CODE:REASON". Prints one JSON object per line with the same events as the Godot server,
then "EXIT 0" or "EXIT 1 <reason>". SIGTERM stops it cleanly with EXIT 0.

Only the asyncio flavour is imported: txaio refuses a process that imports both flavours.
"""

import asyncio
import json
import signal
import sys

from autobahn.asyncio.websocket import WebSocketServerFactory, WebSocketServerProtocol
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept


def report(obj):
    print(json.dumps(obj), flush=True)


def make_protocol(cfg, state):
    supported = cfg.get("protocols") or []

    class EchoServer(WebSocketServerProtocol):
        def onConnect(self, request):
            state["next_id"] += 1
            self.id = state["next_id"]
            chosen = next((p for p in request.protocols if p in supported), None)
            report({
                "event": "connect", "id": self.id, "protocol": chosen or "", "path": request.path,
                "headers": request.headers,
            })
            return chosen

        def onOpen(self):
            extensions = ", ".join(str(e) for e in self.websocket_extensions_in_use)
            report({"event": "open", "id": self.id, "extensions": extensions})

        def onMessage(self, payload, isBinary):
            msg = {
                "event": "message", "id": self.id, "kind": "binary" if isBinary else "text",
                "size": len(payload), "head_hex": payload[:64].hex(),
            }
            if not isBinary and payload.startswith(b"close:"):
                # "close:CODE:REASON": the reason is everything after the second colon.
                code_text, _, reason = payload[6:].decode().partition(":")
                msg["command"] = "close"
                report(msg)
                reason_raw = reason.encode()
                report({"event": "close_sent", "id": self.id, "code": int(code_text), "reason_hex": reason_raw.hex()})
                # sendCloseFrame, not sendClose: sendClose refuses codes outside 1000/3000-4999.
                self.sendCloseFrame(code=int(code_text), reasonUtf8=reason_raw or None, isReply=False)
                return
            report(msg)
            self.sendMessage(payload, isBinary=isBinary)

        def onClose(self, wasClean, code, reason):
            if not hasattr(self, "id"):
                report({"event": "handshake_failed", "detail": str(reason)})
                return
            if self.remoteCloseCode is not None:
                reason_raw = (self.remoteCloseReason or "").encode()
                report({"event": "close_request", "id": self.id, "code": self.remoteCloseCode, "reason_hex": reason_raw.hex()})
            report({"event": "disconnect", "id": self.id, "clean": bool(wasClean)})
            state["disconnects"] += 1
            wanted = int(cfg.get("clients", 0))
            if wanted > 0 and state["disconnects"] >= wanted and not state["stop"].done():
                state["stop"].set_result("clients done")

    return EchoServer


async def main(config_path):
    with open(config_path, encoding="utf-8") as f:
        cfg = json.load(f)
    loop = asyncio.get_running_loop()
    state = {"next_id": 0, "disconnects": 0, "stop": loop.create_future()}
    factory = WebSocketServerFactory()
    factory.protocol = make_protocol(cfg, state)
    if cfg.get("deflate"):
        def accept(offers):
            for offer in offers:
                if isinstance(offer, PerMessageDeflateOffer):
                    return PerMessageDeflateOfferAccept(offer)
        factory.setProtocolOptions(perMessageCompressionAccept=accept)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: state["stop"].done() or state["stop"].set_result("signal"))
    try:
        server = await loop.create_server(factory, "127.0.0.1", int(cfg.get("port", 0)))
    except OSError as e:
        report({"event": "listen_failed", "port": cfg.get("port", 0), "detail": str(e)})
        return f"listen failed: {e}"
    report({"event": "listening", "port": server.sockets[0].getsockname()[1]})
    timeout = cfg.get("timeout_ms", 0) / 1000 or None
    try:
        why = await asyncio.wait_for(state["stop"], timeout)
    except asyncio.TimeoutError:
        report({"event": "timeout", "disconnects": state["disconnects"]})
        return f"timeout after {state['disconnects']} disconnects"
    finally:
        server.close()
    report({"event": "stopped", "why": why})
    return None


if __name__ == "__main__":
    failure = asyncio.run(main(sys.argv[1]))
    print("EXIT 0" if failure is None else f"EXIT 1 {failure}", flush=True)
    sys.exit(0 if failure is None else 1)
