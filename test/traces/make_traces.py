#!/usr/bin/env python3
"""Writes test/traces/*.json: RFC 6455 conversations and what the codec must make of them.

Every byte below is written out by hand from RFC 6455 (frame layout §5.2, masking §5.3,
fragmentation §5.4, control frames §5.5, UTF-8 §8.1, close codes §7.4) and the codec contract
(native/codec/include/gdws/codec.h). Nothing here runs or imports our implementation: the only
helpers are XOR masking (§5.3) and byte repetition, so long payloads stay readable.
Run it after editing: `python3 test/traces/make_traces.py` (the JSON files are what the Node and
Godot runners read; commit both).

Runners: test/traces/replay.ts replays through the exact per-poll path WebSocketPeer uses
(src/websocket/connection.ts: pump() per delivered chunk, send(), close(), flush()) in `npm test`;
test/engine/godot3/replay_traces.gd replays through the engine glue in `npm run test:engine`.
Both print/compare one result per (trace, chunking): {file, name, chunking, consumed, statuses,
records, output, failure, close_sent, close_received, received_close_code, received_close_reason}.

Trace format (one JSON file per topic, {"about": ..., "traces": [...]}):
  name        unique within the file
  role        "client" | "server"
  limits      {max_message_size, max_outbound_messages, max_outbound_bytes}: passed to the codec as is
  mask_keys   client role: the 4-byte keys (hex, wire order) the host hands out, in order
  chunkings   how every "feed" step is cut: "whole", or a list of sizes used cyclically
  steps       in order:
                {"feed": hex}                                   bytes from the peer
                {"queue_message": kind, "data": hex, "status": S}
                {"queue_close": code, "reason": hex, "status": S}
              S is the expected gdws::Status name (codec.h Status, status_name()).
              After every step the peer reads: the runner takes all output and acknowledges it
              as written. A step with "hold": true is a peer that does not read: output written
              during it stays unwritten (counted by the outbound limits) through the next step's
              action, and is taken after the first step without hold.
              Feed bytes are cut by the chunking and delivered one chunk per poll. Once the codec
              consumes less than it was given (the connection failed or closed), the rest is
              dropped.
  expect      records [{kind, data}], output (all output bytes, in order), failure ("" or the
              gdws::Failure name), close_sent, close_received, received_close_code,
              received_close_reason (hex of the UTF-8 bytes), and "consumed" (total bytes the
              codec took) where RFC 6455 fixes it.
Hex strings may contain spaces; runners remove them.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

DEFAULT_LIMITS = {"max_message_size": 65535, "max_outbound_messages": 4096, "max_outbound_bytes": 65535}
CHUNKINGS = ["whole", [1], [3, 1, 4, 1, 5]]

K = "37fa213d"  # RFC 6455 §5.7's example key
K2 = "01020304"
K3 = "a1b2c3d4"
HELLO = "48656c6c6f"
HELLO_MASKED_K = "7f9f4d5158"  # §5.7: "Hello" masked with 37 fa 21 3d


def h(s):
    return s.replace(" ", "")


def mask(key, payload):
    """RFC 6455 §5.3: octet i of the payload XOR octet i % 4 of the key."""
    k = bytes.fromhex(h(key))
    p = bytes.fromhex(h(payload))
    return bytes(b ^ k[i % 4] for i, b in enumerate(p)).hex()


def rep(hexstr, count):
    return h(hexstr) * count


def text(s):
    return s.encode("utf-8").hex()


# When the codec fails the connection it sends a close frame whose body is the close code alone
# (§7.4.1: 1002 protocol error, 1007 invalid payload data, 1009 too big), without reason text, as
# Godot 4.4 (wslay) does: codec.h "a close with failure_close_code() is queued".


def close_body(code, reason=""):
    return "%04x" % code + text(reason)


def server_close(body):
    """Unmasked close frame (server to client), body < 126 bytes."""
    return "88%02x" % (len(h(body)) // 2) + h(body)


def client_close(key, body):
    return "88%02x" % (0x80 | len(h(body)) // 2) + h(key) + mask(key, body)


def failure_close(role, code, key=None):
    body = close_body(code)
    return server_close(body) if role == "server" else client_close(key, body)


def trace(name, role, steps, expect, limits=None, mask_keys=None, chunkings=None, note=None):
    t = {"name": name}
    if note:
        t["note"] = note
    t["role"] = role
    t["limits"] = dict(DEFAULT_LIMITS, **(limits or {}))
    if role == "client":
        t["mask_keys"] = mask_keys or [K]
    t["chunkings"] = chunkings or CHUNKINGS
    t["steps"] = steps
    e = {
        "records": [],
        "output": "",
        "failure": "",
        "close_sent": False,
        "close_received": False,
        "received_close_code": -1,
        "received_close_reason": "",
    }
    e.update(expect)
    t["expect"] = e
    return t


def feed(x):
    return {"feed": x}


def rec(kind, data):
    return {"kind": kind, "data": h(data)}


def failed(role, name, code, key=None, **extra):
    """Expectation for a connection the codec failed: a close with the failure's code is sent."""
    e = {"failure": name, "close_sent": True, "output": failure_close(role, code, key)}
    e.update(extra)
    return e


def write(filename, about, traces):
    names = [t["name"] for t in traces]
    assert len(names) == len(set(names)), filename
    for t in traces:
        for s in t["steps"]:
            for key in ("feed", "data", "reason"):
                if key in s:
                    s[key] = h(s[key])
        for key in ("output", "received_close_reason"):
            t["expect"][key] = h(t["expect"][key])
    with open(os.path.join(HERE, filename), "w") as f:
        json.dump({"about": about, "traces": traces}, f, indent=1)
        f.write("\n")


###
### Framing: length encodings, masking, single frames, control frames
###

PATTERN_256 = "".join("%02x" % i for i in range(256))
ZERO_125 = rep("00", 125)
ZERO_126 = rep("00", 126)
K_OVER_126 = rep(K, 31) + K[:4]  # 126 zero bytes masked with K
K_OVER_125 = rep(K, 31) + K[:2]

framing = [
    trace("server reads a masked text frame (RFC 6455 5.7)", "server",
          [feed("81 85 " + K + HELLO_MASKED_K)],
          {"records": [rec("text", HELLO)], "consumed": 11}),
    trace("client reads an unmasked text frame (RFC 6455 5.7)", "client",
          [feed("81 05 " + HELLO)],
          {"records": [rec("text", HELLO)], "consumed": 7}),
    trace("server reads empty text and binary frames", "server",
          [feed("81 80 " + K + " 82 80 " + K2)],
          {"records": [rec("text", ""), rec("binary", "")], "consumed": 12}),
    trace("server reads 125 bytes with the 7-bit length", "server",
          [feed("82 fd " + K + K_OVER_125)],
          {"records": [rec("binary", ZERO_125)], "consumed": 131}),
    trace("server reads 126 bytes with the 16-bit length", "server",
          [feed("82 fe 007e " + K + K_OVER_126)],
          {"records": [rec("binary", ZERO_126)], "consumed": 134}),
    trace("client reads 65536 bytes with the 64-bit length", "client",
          [feed("82 7f 0000000000010000 " + rep(PATTERN_256, 256))],
          {"records": [rec("binary", rep(PATTERN_256, 256))], "consumed": 65546},
          limits={"max_message_size": 65536},
          chunkings=["whole", [1] * 10 + [4096], [7, 5000]]),
    trace("server reads two frames from one chunk", "server",
          [feed("81 85 " + K + HELLO_MASKED_K + " 82 83 " + K2 + mask(K2, "010203"))],
          {"records": [rec("text", HELLO), rec("binary", "010203")], "consumed": 20}),
    trace("server writes unmasked frames in all three length encodings", "server",
          [{"queue_message": "text", "data": HELLO, "status": "OK"},
           {"queue_message": "binary", "data": ZERO_125, "status": "OK"},
           {"queue_message": "binary", "data": ZERO_126, "status": "OK"},
           {"queue_message": "binary", "data": rep(PATTERN_256, 256), "status": "OK"}],
          {"output": "81 05 " + HELLO + " 82 7d " + ZERO_125 + " 82 7e 007e " + ZERO_126
           + " 82 7f 0000000000010000 " + rep(PATTERN_256, 256)},
          limits={"max_outbound_bytes": 0}),
    trace("client masks what it writes with the host's keys, in order", "client",
          [{"queue_message": "text", "data": HELLO, "status": "OK"},
           {"queue_message": "binary", "data": "", "status": "OK"},
           {"queue_message": "binary", "data": ZERO_126, "status": "OK"}],
          {"output": "81 85 " + K + HELLO_MASKED_K + " 82 80 " + K2 + " 82 fe 007e " + K3 + rep(K3, 31) + K3[:4]},
          mask_keys=[K, K2, K3]),
    trace("server answers a ping with a pong carrying the same payload", "server",
          [feed("89 85 " + K + HELLO_MASKED_K)],
          {"records": [rec("ping", HELLO)], "output": "8a 05 " + HELLO, "consumed": 11}),
    trace("client answers a ping with a masked pong", "client",
          [feed("89 05 " + HELLO)],
          {"records": [rec("ping", HELLO)], "output": "8a 85 " + K + HELLO_MASKED_K, "consumed": 7}),
    trace("server answers an empty ping and a 125-byte ping", "server",
          [feed("89 80 " + K + " 89 fd " + K2 + rep(K2, 31) + K2[:2])],
          {"records": [rec("ping", ""), rec("ping", ZERO_125)],
           "output": "8a 00 8a 7d " + ZERO_125, "consumed": 137}),
    trace("server reads a pong and sends nothing", "server",
          [feed("8a 85 " + K + HELLO_MASKED_K)],
          {"records": [rec("pong", HELLO)], "consumed": 11}),
    trace("server writes ping and pong frames", "server",
          [{"queue_message": "ping", "data": ZERO_125, "status": "OK"},
           {"queue_message": "pong", "data": "", "status": "OK"},
           {"queue_message": "ping", "data": ZERO_126, "status": "INVALID_ARGUMENT"}],
          {"output": "89 7d " + ZERO_125 + " 8a 00"}),
    trace("server fails on an unmasked frame", "server",
          [feed("81 05 " + HELLO)],
          failed("server", "UNMASKED_FRAME", 1002)),
    trace("client fails on a masked frame", "client",
          [feed("81 85 " + K + HELLO_MASKED_K)],
          failed("client", "MASKED_FRAME", 1002, K)),
    trace("server fails on RSV1", "server",
          [feed("c1 85 " + K + HELLO_MASKED_K)],
          failed("server", "RESERVED_BITS", 1002)),
    trace("server fails on RSV2", "server",
          [feed("a1 85 " + K + HELLO_MASKED_K)],
          failed("server", "RESERVED_BITS", 1002)),
    trace("client fails on RSV3", "client",
          [feed("91 05 " + HELLO)],
          failed("client", "RESERVED_BITS", 1002, K)),
    trace("server fails on reserved data opcode 0x3", "server",
          [feed("83 80 " + K)],
          failed("server", "UNKNOWN_OPCODE", 1002)),
    trace("client fails on reserved control opcode 0xB", "client",
          [feed("8b 00")],
          failed("client", "UNKNOWN_OPCODE", 1002, K)),
    trace("server fails on a ping longer than 125 bytes", "server",
          [feed("89 fe 007e " + K + K_OVER_126)],
          failed("server", "CONTROL_TOO_LONG", 1002)),
    trace("server fails on a fragmented ping", "server",
          [feed("09 80 " + K)],
          failed("server", "FRAGMENTED_CONTROL", 1002)),
    trace("server fails on a 16-bit length that fits in 7 bits", "server",
          [feed("81 fe 0005 " + K + HELLO_MASKED_K)],
          failed("server", "NON_MINIMAL_LENGTH", 1002)),
    trace("client fails on a 64-bit length that fits in 16 bits", "client",
          [feed("82 7f 000000000000ffff " + rep("00", 16))],
          failed("client", "NON_MINIMAL_LENGTH", 1002, K)),
    trace("client fails on a 64-bit length with the high bit set", "client",
          [feed("82 7f 8000000000000000 " + rep("00", 16))],
          failed("client", "LENGTH_HIGH_BIT", 1002, K),
          limits={"max_message_size": 0},
          note="no size limit, so only the high-bit rule can apply"),
    trace("input after a failure is ignored", "server",
          [feed("81 85 " + K + HELLO_MASKED_K + " 83 80 " + K + " 89 80 " + K + " 88 80 " + K)],
          failed("server", "UNKNOWN_OPCODE", 1002, records=[rec("text", HELLO)])),
    trace("nothing can be queued after a failure", "server",
          [feed("83 80 " + K),
           {"queue_message": "text", "data": HELLO, "status": "INVALID_STATE"},
           {"queue_close": 1000, "reason": "", "status": "INVALID_STATE"}],
          failed("server", "UNKNOWN_OPCODE", 1002)),
]

###
### Fragmentation (§5.4) and control frames between fragments
###

fragmentation = [
    trace("client joins a text message sent in two fragments (RFC 6455 5.7)", "client",
          [feed("01 03 48656c 80 02 6c6f")],
          {"records": [rec("text", HELLO)], "consumed": 9}),
    trace("server joins three masked fragments, the middle one empty", "server",
          [feed("02 82 " + K + mask(K, "0102") + " 00 80 " + K2 + " 80 81 " + K3 + mask(K3, "03"))],
          {"records": [rec("binary", "010203")], "consumed": 21}),
    trace("client joins fragments that start empty", "client",
          [feed("01 00 00 00 80 05 " + HELLO)],
          {"records": [rec("text", HELLO)], "consumed": 11}),
    trace("a ping between fragments is answered and its payload stays out of the message", "server",
          [feed("01 83 " + K + mask(K, "48656c") + " 89 84 " + K2 + mask(K2, text("ping"))
                + " 80 82 " + K3 + mask(K3, "6c6f"))],
          {"records": [rec("ping", text("ping")), rec("text", HELLO)], "output": "8a 04 " + text("ping"),
           "consumed": 27},
          note="Godot 4.4 appends the ping payload to the message (spec websocketpeer.md 8); RFC 6455 5.4 does not"),
    trace("a pong between fragments stays out of the message", "client",
          [feed("01 03 48656c 8a 02 7a7a 80 02 6c6f")],
          {"records": [rec("pong", "7a7a"), rec("text", HELLO)], "consumed": 13}),
    trace("pings between every fragment of a binary message", "client",
          [feed("02 01 aa 89 01 01 00 01 bb 89 01 02 80 01 cc")],
          {"records": [rec("ping", "01"), rec("ping", "02"), rec("binary", "aabbcc")],
           "output": "8a 81 " + K + mask(K, "01") + " 8a 81 " + K2 + mask(K2, "02"), "consumed": 15},
          mask_keys=[K, K2]),
    trace("a close between fragments ends the connection and drops the unfinished message", "server",
          [feed("01 83 " + K + mask(K, "48656c") + " 88 82 " + K2 + mask(K2, "03e8")
                + " 80 82 " + K3 + mask(K3, "6c6f"))],
          {"output": server_close("03e8"), "close_sent": True, "close_received": True,
           "received_close_code": 1000, "consumed": 17}),
    trace("server fails on a continuation with no message in progress", "server",
          [feed("80 85 " + K + HELLO_MASKED_K)],
          failed("server", "UNEXPECTED_CONTINUATION", 1002)),
    trace("client fails on a continuation after a finished message", "client",
          [feed("81 05 " + HELLO + " 80 00")],
          failed("client", "UNEXPECTED_CONTINUATION", 1002, K, records=[rec("text", HELLO)])),
    trace("server fails on a new data frame inside a fragmented message", "server",
          [feed("01 83 " + K + mask(K, "48656c") + " 81 82 " + K2 + mask(K2, "6c6f"))],
          failed("server", "EXPECTED_CONTINUATION", 1002)),
    trace("client fails on a binary frame inside a fragmented text message", "client",
          [feed("01 03 48656c 02 02 6c6f")],
          failed("client", "EXPECTED_CONTINUATION", 1002, K)),
]

###
### UTF-8 (§5.6, §8.1)
###

def client_text(payload_hex):
    n = len(h(payload_hex)) // 2
    assert n < 126
    return "81 %02x " % n + payload_hex


utf8 = [
    trace("valid 2-, 3- and 4-byte sequences in one frame", "client",
          [feed(client_text("c3a9 e282ac f09d849e f48fbfbf"))],
          {"records": [rec("text", "c3a9 e282ac f09d849e f48fbfbf")], "consumed": 15}),
    trace("code points split across fragments", "client",
          [feed("01 03 61e282 00 03 acf09d 80 02 849e")],
          {"records": [rec("text", "61e282acf09d849e")], "consumed": 14}),
    trace("a 3-byte sequence split over three masked fragments", "server",
          [feed("01 81 " + K + mask(K, "e2") + " 00 81 " + K2 + mask(K2, "82") + " 80 81 " + K3 + mask(K3, "ac"))],
          {"records": [rec("text", "e282ac")], "consumed": 21}),
    trace("NUL bytes are valid UTF-8", "client",
          [feed(client_text("61 00 62 00"))],
          {"records": [rec("text", "61006200")], "consumed": 6}),
    trace("binary messages are not checked", "client",
          [feed("82 03 ff c0 af")],
          {"records": [rec("binary", "ffc0af")], "consumed": 5}),
    trace("0xFF is never valid", "client",
          [feed(client_text("61 ff"))],
          failed("client", "INVALID_UTF8", 1007, K)),
    trace("overlong encoding of '/'", "client",
          [feed(client_text("c0 af"))],
          failed("client", "INVALID_UTF8", 1007, K)),
    trace("overlong 3-byte encoding", "client",
          [feed(client_text("e0 80 af"))],
          failed("client", "INVALID_UTF8", 1007, K)),
    trace("UTF-16 surrogate U+D800", "client",
          [feed(client_text("ed a0 80"))],
          failed("client", "INVALID_UTF8", 1007, K)),
    trace("code point above U+10FFFF", "client",
          [feed(client_text("f4 90 80 80"))],
          failed("client", "INVALID_UTF8", 1007, K)),
    trace("lone continuation byte", "server",
          [feed("81 81 " + K + mask(K, "80"))],
          failed("server", "INVALID_UTF8", 1007)),
    trace("message ends inside a sequence", "client",
          [feed(client_text("61 e2 82"))],
          failed("client", "INVALID_UTF8", 1007, K)),
    trace("final empty fragment leaves a sequence unfinished", "client",
          [feed("01 02 e282 80 00")],
          failed("client", "INVALID_UTF8", 1007, K)),
    trace("a valid message before an invalid one is kept", "client",
          [feed(client_text("e282ac") + client_text("ff"))],
          failed("client", "INVALID_UTF8", 1007, K, records=[rec("text", "e282ac")])),
]

###
### Closing (§5.5.1, §7)
###

def masked_close(key, body):
    return client_close(key, body)


def server_gets_close(name, body, expect, **kw):
    return trace(name, "server", [feed(masked_close(K, body))], expect, **kw)


def invalid_code(code):
    return server_gets_close("server fails on close code %d" % code, "%04x" % code,
                             failed("server", "INVALID_CLOSE_CODE", 1002))


closing = [
    server_gets_close("server echoes a close code and reason", close_body(1000, "bye"),
                      {"output": server_close(close_body(1000, "bye")), "close_sent": True, "close_received": True,
                       "received_close_code": 1000, "received_close_reason": text("bye"), "consumed": 11}),
    server_gets_close("an empty close body is reported as 1005 and echoed empty", "",
                      {"output": "88 00", "close_sent": True, "close_received": True,
                       "received_close_code": 1005, "consumed": 6}),
    trace("client echoes an empty close masked", "client",
          [feed("88 00")],
          {"output": "88 80 " + K, "close_sent": True, "close_received": True,
           "received_close_code": 1005, "consumed": 2}),
    trace("client echoes close 1001 masked", "client",
          [feed("88 02 03e9")],
          {"output": client_close(K, "03e9"), "close_sent": True, "close_received": True,
           "received_close_code": 1001, "consumed": 4}),
    server_gets_close("Godot 3's close reason with a trailing NUL is valid", close_body(1000, "bye") + "00",
                      {"output": server_close(close_body(1000, "bye") + "00"), "close_sent": True,
                       "close_received": True, "received_close_code": 1000,
                       "received_close_reason": text("bye") + "00", "consumed": 12}),
    server_gets_close("a 123-byte close reason is accepted", close_body(4999, "r" * 123),
                      {"output": "88 7d " + close_body(4999, "r" * 123), "close_sent": True, "close_received": True,
                       "received_close_code": 4999, "received_close_reason": text("r" * 123), "consumed": 131}),
    server_gets_close("close code 3000 is valid", "0bb8",
                      {"output": server_close("0bb8"), "close_sent": True, "close_received": True,
                       "received_close_code": 3000, "consumed": 8}),
    server_gets_close("close code 1011 is valid", "03f3",
                      {"output": server_close("03f3"), "close_sent": True, "close_received": True,
                       "received_close_code": 1011, "consumed": 8}),
    server_gets_close("server fails on a 1-byte close body", "03",
                      failed("server", "INVALID_CLOSE_PAYLOAD", 1002),
                      note="Godot 4.4 (wslay) accepts it as 'no status'; RFC 6455 5.5.1 requires a 2-byte code first"),
    invalid_code(0),
    invalid_code(999),
    invalid_code(1004),
    invalid_code(1005),
    invalid_code(1006),
    invalid_code(1015),
    invalid_code(1016),
    invalid_code(2999),
    invalid_code(5000),
    server_gets_close("server fails on a close reason that is not UTF-8", "03e8 ff fe",
                      failed("server", "INVALID_CLOSE_REASON", 1007)),
    trace("input after a close frame is ignored", "server",
          [feed("88 80 " + K + " 81 85 " + K + HELLO_MASKED_K + " 89 80 " + K)],
          {"output": "88 00", "close_sent": True, "close_received": True,
           "received_close_code": 1005, "consumed": 6}),
    trace("server closes first and reads the peer's reply", "server",
          [{"queue_close": 1000, "reason": text("bye"), "status": "OK"},
           feed(masked_close(K, "03e8"))],
          {"output": server_close(close_body(1000, "bye")), "close_sent": True, "close_received": True,
           "received_close_code": 1000, "consumed": 8}),
    trace("client closes first with a masked close", "client",
          [{"queue_close": 1000, "reason": "", "status": "OK"},
           feed("88 02 03e8")],
          {"output": "88 82 " + K + "3412", "close_sent": True, "close_received": True,
           "received_close_code": 1000, "consumed": 4}),
    trace("nothing more can be queued once a close is queued", "server",
          [{"queue_close": 1000, "reason": "", "status": "OK"},
           {"queue_message": "text", "data": HELLO, "status": "INVALID_STATE"},
           {"queue_message": "ping", "data": "", "status": "INVALID_STATE"},
           {"queue_close": 1001, "reason": "", "status": "INVALID_STATE"}],
          {"output": server_close("03e8"), "close_sent": True}),
    trace("close code 0 sends an empty body and drops the reason", "server",
          [{"queue_close": 0, "reason": text("dropped"), "status": "OK"}],
          {"output": "88 00", "close_sent": True}),
]

###
### Limits
###

limits_traces = [
    trace("a message of exactly max_message_size is accepted", "server",
          [feed("82 8a " + K + mask(K, rep("00", 10)))],
          {"records": [rec("binary", rep("00", 10))], "consumed": 16},
          limits={"max_message_size": 10}),
    trace("one byte over max_message_size in one frame fails with 1009", "server",
          [feed("82 8b " + K + mask(K, rep("00", 11)))],
          failed("server", "MESSAGE_TOO_BIG", 1009),
          limits={"max_message_size": 10}),
    trace("fragments that together exceed max_message_size fail with 1009", "server",
          [feed("02 86 " + K + mask(K, rep("00", 6)) + " 80 85 " + K2 + mask(K2, rep("00", 5)))],
          failed("server", "MESSAGE_TOO_BIG", 1009),
          limits={"max_message_size": 10},
          note="Godot 4.4 checks each frame only (spec websocketpeer.md 8); the limit is on the message"),
    trace("fragments that together fit max_message_size are accepted", "server",
          [feed("02 85 " + K + mask(K, rep("00", 5)) + " 80 85 " + K2 + mask(K2, rep("00", 5)))],
          {"records": [rec("binary", rep("00", 10))], "consumed": 22},
          limits={"max_message_size": 10}),
    trace("the default limit refuses a 65536-byte message", "client",
          [feed("82 7f 0000000000010000 " + rep("00", 64))],
          failed("client", "MESSAGE_TOO_BIG", 1009, K)),
    trace("max_message_size 0 means no limit", "client",
          [feed("82 7e 0100 " + rep(PATTERN_256, 1))],
          {"records": [rec("binary", PATTERN_256)], "consumed": 260},
          limits={"max_message_size": 0}),
    trace("messages accepted before a too-big one are kept", "client",
          [feed("81 05 " + HELLO + " 82 0b " + rep("00", 11))],
          failed("client", "MESSAGE_TOO_BIG", 1009, K, records=[rec("text", HELLO)]),
          limits={"max_message_size": 10}),
    trace("max_outbound_messages counts frames not yet written", "server",
          [{"queue_message": "text", "data": "61", "status": "OK", "hold": True},
           {"queue_message": "text", "data": "62", "status": "OK", "hold": True},
           {"queue_message": "text", "data": "63", "status": "QUEUE_FULL"},
           {"queue_message": "text", "data": "64", "status": "OK"}],
          {"output": "81 01 61 81 01 62 81 01 64"},
          limits={"max_outbound_messages": 2}),
    trace("max_outbound_bytes counts payload not yet written", "server",
          [{"queue_message": "binary", "data": rep("00", 6), "status": "OK", "hold": True},
           {"queue_message": "binary", "data": rep("00", 5), "status": "BUFFER_FULL", "hold": True},
           {"queue_message": "binary", "data": rep("00", 4), "status": "OK"},
           {"queue_message": "binary", "data": rep("00", 10), "status": "OK"}],
          {"output": "82 06 " + rep("00", 6) + " 82 04 " + rep("00", 4) + " 82 0a " + rep("00", 10)},
          limits={"max_outbound_bytes": 10}),
    trace("a message larger than max_outbound_bytes is refused", "server",
          [{"queue_message": "binary", "data": rep("00", 11), "status": "BUFFER_FULL"}],
          {"output": ""},
          limits={"max_outbound_bytes": 10}),
]

###
### Sending: what the codec puts on the wire for the host (RFC 6455 5.1-5.3, 5.5.1, 7.4, 8.1)
###

K4 = "0badf00d"
SEND_ONLY = ["whole"]  # no feed steps: chunking does not apply


def send(kind, data, status="OK", **extra):
    step = {"queue_message": kind, "data": data, "status": status}
    step.update(extra)
    return step


def close(code, reason_hex, status="OK"):
    return {"queue_close": code, "reason": reason_hex, "status": status}


E_ACUTE = text("\u00e9")  # 2 bytes
EURO = text("\u20ac")  # 3 bytes
G_CLEF = text("\U0001d11e")  # 4 bytes
BYE = text("bye")
INVALID_TEXTS = [
    ("a lone continuation byte", "80"),
    ("a lead byte followed by ASCII", "c3 28"),
    ("a character cut off at the end", "61 e2 82"),
    ("a UTF-16 surrogate (U+D800)", "ed a0 80"),
    ("an overlong encoding of '/'", "c0 af"),
    ("a byte that never occurs (FF)", "ff"),
    ("a code point above U+10FFFF", "f4 90 80 80"),
]
WIRE_FORBIDDEN = [1004, 1005, 1006, 1015, 1016, 2999, 999, 5000]


def cut_reason(name, reason, sent):
    return trace(name, "server", [close(4000, text(reason))],
                 {"output": server_close(close_body(4000, sent)), "close_sent": True},
                 chunkings=SEND_ONLY)


sending = [
    trace("text that is not UTF-8 is refused, nothing is queued, and the connection stays usable", "server",
          [send("text", bad, "INVALID_UTF8") for _, bad in INVALID_TEXTS] + [send("text", HELLO)],
          {"output": "81 05 " + HELLO}, chunkings=SEND_ONLY,
          note="RFC 6455 8.1: the peer would fail the connection with 1007; Godot sends such text (spec 3.3)"),
    trace("multi-byte text is sent byte for byte", "server",
          [send("text", E_ACUTE + EURO + G_CLEF)],
          {"output": "81 09 " + E_ACUTE + EURO + G_CLEF}, chunkings=SEND_ONLY),
    trace("binary payloads are never checked for UTF-8", "server",
          [send("binary", "ff fe c0 af")],
          {"output": "82 04 ff fe c0 af"}, chunkings=SEND_ONLY),
    trace("a client masks every frame it sends with the next key, in wire order", "client",
          [send("text", HELLO), send("binary", "010203"), send("ping", ""), close(1000, BYE)],
          {"output": "81 85 " + K + HELLO_MASKED_K
                     + " 82 83 " + K2 + mask(K2, "010203")
                     + " 89 80 " + K3
                     + " 88 85 " + K4 + mask(K4, close_body(1000, "bye")),
           "close_sent": True},
          mask_keys=[K, K2, K3, K4], chunkings=SEND_ONLY),
    trace("outgoing messages are never fragmented: 65536 bytes go as one frame with a 64-bit length", "server",
          [send("binary", rep(PATTERN_256, 256))],
          {"output": "82 7f 0000000000010000 " + rep(PATTERN_256, 256)},
          limits={"max_outbound_bytes": 0}, chunkings=SEND_ONLY,
          note="the codec has no fragmenting send: every message is one FIN frame (as Godot)"),
    trace("a ping payload of 125 bytes is sent, 126 is refused", "server",
          [send("ping", ZERO_126, "INVALID_ARGUMENT"), send("ping", ZERO_125)],
          {"output": "89 7d " + ZERO_125}, chunkings=SEND_ONLY),
    trace("a close reason of 123 bytes is sent whole", "server",
          [close(1000, text("r" * 123))],
          {"output": "88 7d " + close_body(1000, "r" * 123), "close_sent": True}, chunkings=SEND_ONLY),
    cut_reason("a close reason over 123 bytes is cut to 123", "r" * 200, "r" * 123),
    cut_reason("the cut does not split a 2-byte character", "x" * 122 + "\u00e9" + "tail", "x" * 122),
    cut_reason("the cut does not split a 3-byte character", "x" * 121 + "\u20ac" + "tail", "x" * 121),
    cut_reason("the cut does not split a 4-byte character", "x" * 120 + "\U0001d11e" + "tail", "x" * 120),
    cut_reason("a character that ends at byte 123 is kept", "x" * 121 + "\u00e9" + "tail", "x" * 121 + "\u00e9"),
    trace("a close reason that is not UTF-8 is refused and nothing is queued", "server",
          [close(1000, "62 79 65 ff", "INVALID_UTF8"), close(1000, BYE)],
          {"output": server_close(close_body(1000, "bye")), "close_sent": True}, chunkings=SEND_ONLY),
    trace("a client's cut close reason is masked after the cut", "client",
          [close(1001, text("y" * 130))],
          {"output": "88 fd " + K + mask(K, close_body(1001, "y" * 123)), "close_sent": True},
          chunkings=SEND_ONLY),
] + [
    trace("close code %d may not go on the wire: an empty close body is sent" % code, "server",
          [close(code, BYE)],
          {"output": "88 00", "close_sent": True}, chunkings=SEND_ONLY,
          note="RFC 6455 7.4.1 / 7.4.2; Godot sends the code as given (spec 9.1)")
    for code in WIRE_FORBIDDEN
] + [
    trace("with a code that may not go on the wire the reason is dropped unchecked", "server",
          [close(1005, "ff")],
          {"output": "88 00", "close_sent": True}, chunkings=SEND_ONLY),
] + [
    trace("close code %d is sent as given" % code, "server",
          [close(code, "")],
          {"output": server_close("%04x" % code), "close_sent": True}, chunkings=SEND_ONLY)
    for code in (1000, 1001, 1003, 1007, 1011, 1012, 1013, 1014, 3000, 4999)
]

write("framing.json", "Frame layout (RFC 6455 5.2), masking (5.3), control frames (5.5)", framing)
write("fragmentation.json", "Fragmentation (RFC 6455 5.4) with control frames between fragments", fragmentation)
write("utf8.json", "UTF-8 validation of text messages (RFC 6455 5.6, 8.1)", utf8)
write("close.json", "The closing handshake (RFC 6455 5.5.1, 7.4)", closing)
write("limits.json", "Inbound message size and outbound queue limits (codec.h Limits)", limits_traces)
write("sending.json", "What the codec sends for the host: text validation, masking, close codes and reasons", sending)
