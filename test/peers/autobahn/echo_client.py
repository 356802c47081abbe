"""Autobahn|Python (asyncio) WebSocket client driven by test/peers/autobahn.ts.

Usage: /usr/bin/python3 echo_client.py CONFIG.json

The config holds url, protocols, messages (kind + base64), close ({by: "client"|"server", code,
reason}), timeout_ms and deflate (offer permessage-deflate). Sends each message, waits for its echo
and checks bytes and frame type, then closes (or asks the server to close with a text message
"close:CODE:REASON"). Prints one JSON object per line with the same events as the Godot scripts,
then "EXIT 0" or "EXIT 1 <reason>".

Only the asyncio flavour is imported: txaio refuses a process that imports both flavours.
"""

import asyncio
import base64
import json
import sys
from urllib.parse import urlparse

from autobahn.asyncio.websocket import WebSocketClientFactory, WebSocketClientProtocol
from autobahn.websocket.compress import (
    PerMessageDeflateOffer,
    PerMessageDeflateResponse,
    PerMessageDeflateResponseAccept,
)


def report(obj):
    print(json.dumps(obj), flush=True)


class Run:
    """State shared by the protocol instance and main(): what was sent and how it ended."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.messages = [(m["kind"], base64.b64decode(m["b64"])) for m in cfg.get("messages", [])]
        self.next_index = 0
        self.opened = False
        self.failure = None
        self.done = asyncio.get_running_loop().create_future()

    def end(self, failure=None):
        if self.failure is None:
            self.failure = failure
        if not self.done.done():
            self.done.set_result(None)


def make_protocol(run):
    class EchoClient(WebSocketClientProtocol):
        def onOpen(self):
            run.opened = True
            extensions = ", ".join(str(e) for e in self.websocket_extensions_in_use)
            report({"event": "open", "protocol": self.websocket_protocol_in_use or "", "extensions": extensions})
            self.send_next()

        def send_next(self):
            if run.next_index < len(run.messages):
                kind, data = run.messages[run.next_index]
                self.sendMessage(data, isBinary=(kind == "binary"))
                return
            close = run.cfg.get("close", {"by": "client", "code": 1000, "reason": ""})
            code, reason = int(close.get("code", 1000)), close.get("reason", "")
            if close.get("by", "client") == "server":
                self.sendMessage(f"close:{code}:{reason}".encode(), isBinary=False)
            else:
                reason_raw = reason.encode()
                report({"event": "close_sent", "code": code, "reason_hex": reason_raw.hex()})
                # sendCloseFrame, not sendClose: sendClose refuses codes outside 1000/3000-4999,
                # and tests may want to send any code the other side has to cope with.
                self.sendCloseFrame(code=code, reasonUtf8=reason_raw or None, isReply=False)

        def onMessage(self, payload, isBinary):
            kind = "binary" if isBinary else "text"
            if run.next_index >= len(run.messages):
                report({"event": "unexpected", "kind": kind, "size": len(payload)})
                return
            want_kind, want = run.messages[run.next_index]
            ok = kind == want_kind and payload == want
            report({
                "event": "echo", "index": run.next_index, "kind": want_kind, "size": len(want),
                "echo_kind": kind, "echo_size": len(payload), "ok": ok,
            })
            if not ok:
                run.end(f"echo {run.next_index} differs")
                self.dropConnection(abort=True)
                return
            run.next_index += 1
            self.send_next()

        def onClose(self, wasClean, code, reason):
            if not run.opened:
                report({"event": "connection_error", "phase": "connecting", "detail": str(reason)})
                run.end("connection_error while connecting")
                return
            # remoteCloseCode/Reason are what the server's close frame carried (None if absent).
            remote_code = self.remoteCloseCode
            remote_reason = (self.remoteCloseReason or "").encode()
            if remote_code is not None:
                report({"event": "close_request", "code": remote_code, "reason_hex": remote_reason.hex()})
            report({
                "event": "closed", "clean": bool(wasClean),
                "code": remote_code if remote_code is not None else (1005 if wasClean else 1006),
                "reason_hex": remote_reason.hex(),
            })
            if run.next_index < len(run.messages):
                run.end(f"closed after {run.next_index} of {len(run.messages)} echoes")
            else:
                run.end()

    return EchoClient


async def main(config_path):
    with open(config_path, encoding="utf-8") as f:
        cfg = json.load(f)
    run = Run(cfg)
    url = urlparse(cfg["url"])
    factory = WebSocketClientFactory(cfg["url"], protocols=cfg.get("protocols") or None)
    factory.protocol = make_protocol(run)
    if cfg.get("deflate"):
        def accept(response):
            if isinstance(response, PerMessageDeflateResponse):
                return PerMessageDeflateResponseAccept(response)
        factory.setProtocolOptions(
            perMessageCompressionOffers=[PerMessageDeflateOffer(accept_max_window_bits=True)],
            perMessageCompressionAccept=accept,
        )
    timeout = cfg.get("timeout_ms", 10000) / 1000
    loop = asyncio.get_running_loop()
    try:
        transport, _ = await asyncio.wait_for(
            loop.create_connection(factory, url.hostname, url.port or 80), timeout)
    except (OSError, asyncio.TimeoutError) as e:
        report({"event": "connection_error", "phase": "tcp connect", "detail": str(e)})
        return "connection_error while tcp connect"
    try:
        await asyncio.wait_for(run.done, timeout)
    except asyncio.TimeoutError:
        report({"event": "timeout", "phase": "echoing" if run.opened else "connecting"})
        transport.abort()
        return "timeout"
    transport.close()
    return run.failure


if __name__ == "__main__":
    failure = asyncio.run(main(sys.argv[1]))
    print("EXIT 0" if failure is None else f"EXIT 1 {failure}", flush=True)
    sys.exit(0 if failure is None else 1)
