#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus (corpus/<target>/): a small, committed starting point.

- session: every shared trace (test/traces/*.json) up to 4 KiB of input, turned into a program
  for fuzz_session.cpp (feeds cut by the trace's chunking, queue calls, output taken and
  acknowledged after every step), plus a few hand-written programs for what the traces do not
  reach (rooms, chunks lent for in-place payloads, limits changed mid-message, release_inbound).
- request / response / url / header_end: typical and borderline handshakes and URLs.
Run it after changing the traces or the program format: `python3 native/codec/fuzz/make_seeds.py`.
"""
import glob
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")
CORPUS = os.path.join(HERE, "corpus")

# fuzz_session.cpp's program: config byte, limits byte, then operations.
OP_FEED, OP_FEED_CHUNKS, OP_QUEUE_MESSAGE, OP_QUEUE_CLOSE = 0, 2, 3, 4
OP_TAKE_OUTPUT, OP_TAKE_BUFFER, OP_ACK, OP_TAKE_RECORDS, OP_SET_LIMITS, OP_BACKLOG = 5, 6, 7, 8, 9, 10
KINDS = {"text": 0, "binary": 1, "ping": 2, "pong": 3}
UNLIMITED_ROOM = 0x00


def config_byte(role, in_place=0):
    return (1 if role == "client" else 0) | (in_place << 1)


def limits_byte(limits):
    message = {0: 0, 1: 1, 125: 2, 126: 3, 65535: 4, 65536: 5, 300: 6}.get(limits["max_message_size"], 4)
    count = {1: 0, 3: 1, 4096: 2}.get(limits["max_outbound_messages"], 3)
    size = {0: 0, 10: 1, 200: 2}.get(limits["max_outbound_bytes"], 3)
    return message | count << 3 | size << 5


def feed_ops(data, chunking):
    ops = bytearray()
    at, i = 0, 0
    while at < len(data):
        size = len(data) - at if chunking == "whole" else chunking[i % len(chunking)]
        size = min(size, 255, len(data) - at)
        ops += bytes([OP_FEED, size, UNLIMITED_ROOM]) + data[at:at + size]
        at += size
        i += 1
    return ops


def drain():
    return bytes([OP_TAKE_BUFFER, OP_ACK, 0xFF, 0xFF, OP_TAKE_RECORDS, 0])


def session_program(trace):
    chunking = trace["chunkings"][-1]
    program = bytearray([config_byte(trace["role"]), limits_byte(trace["limits"])])
    for step in trace["steps"]:
        if "feed" in step:
            program += feed_ops(bytes.fromhex(step["feed"].replace(" ", "")), chunking)
        elif "queue_message" in step:
            data = bytes.fromhex(step["data"].replace(" ", ""))
            if len(data) > 254:
                continue  # the harness makes its own large messages
            program += bytes([OP_QUEUE_MESSAGE, KINDS[step["queue_message"]], len(data)]) + data
        else:
            reason = bytes.fromhex(step["reason"].replace(" ", ""))[:199]
            code = step["queue_close"] & 0xFFFF
            program += bytes([OP_QUEUE_CLOSE, 0x80, code >> 8, code & 0xFF, len(reason)]) + reason
        if not step.get("hold"):
            program += drain()
    return bytes(program)


ADIOS = "¡adiós!".encode()


def hand_written_sessions():
    key = bytes.fromhex("37fa213d")
    hello = b"Hello"
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(hello))
    text = bytes([0x81, 0x85]) + key + masked
    fragments = bytes([0x01, 0x83]) + key + masked[:3] + bytes([0x89, 0x80]) + key + bytes([0x80, 0x82]) + key + bytes(
        b ^ key[i % 4] for i, b in enumerate(b"lo"))
    seeds = {}
    # Server, in place from 0 bytes: four messages lent in two chunks, with a message room of 1.
    seeds["in-place-chunks"] = bytes([config_byte("server", 1), 0x12, OP_FEED_CHUNKS, 1, 22, 22, 0x02]) + text * 4 + drain()
    # A fragmented text with a ping inside, fed byte by byte under a byte room of 1, then released.
    program = bytearray([config_byte("server"), 0x12])
    for b in fragments:
        program += bytes([OP_FEED, 1, 0x0C, b])
    program += bytes([OP_TAKE_RECORDS, 1])
    seeds["fragments-byte-room"] = bytes(program) + drain()
    # The message limit lowered between a header's bytes.
    seeds["limit-mid-header"] = bytes([config_byte("server"), 0x12, OP_FEED, 2, 0, 0x82, 0xA5, OP_SET_LIMITS, 1,
                                       OP_FEED, 4, 0]) + key + drain()
    # Client: partial output takes and acknowledgements under a transport backlog, then a close.
    seeds["client-partial-output"] = bytes([config_byte("client"), 0x12, OP_BACKLOG, 0, 100, OP_QUEUE_MESSAGE, 1, 3, 1, 2, 3,
                                            OP_TAKE_OUTPUT, 0, 3, OP_ACK, 0, 2, OP_QUEUE_MESSAGE, 3, 0, OP_TAKE_OUTPUT, 0, 100,
                                            OP_ACK, 0, 100, OP_QUEUE_CLOSE, 0, len(ADIOS)]) + ADIOS + drain()
    # Inputs that once found a bug (each also has a unit test in native/codec/test).
    # An empty final fragment completed a message the byte room could not hold.
    seeds["regress-empty-final-byte-room"] = bytes.fromhex("0174000300010348000100650004006c8a008000650800")
    # Large messages both ways: 64-bit lengths out, a 16-bit one in.
    seeds["large"] = bytes([config_byte("client"), 0x14, OP_QUEUE_MESSAGE, 0, 255, 5, OP_QUEUE_MESSAGE, 1, 255, 4,
                            OP_FEED, 4, 0, 0x82, 0x7E, 0x00, 0x7E]) + bytes([OP_FEED, 126, 0]) + bytes(126) + drain()
    return seeds


REQUEST = ("GET /chat?room=1 HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
           "Sec-WebSocket-Version: 13\r\n\r\n")
RESPONSE = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n")


def handshake_seeds():
    # The first byte of request/response seeds picks the subprotocols (bit 0 "chat", bit 1 "superchat").
    request = {
        "rfc-sample": b"\x03" + REQUEST.encode(),
        "no-protocol": b"\x00" + REQUEST.replace("Sec-WebSocket-Protocol: chat, superchat\r\n", "").encode(),
        "bad-version": b"\x01" + REQUEST.replace("Version: 13", "Version: 8").encode(),
        "extensions-and-frame": b"\x01" + REQUEST.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"
                                                           "connection: keep-alive\r\n\r\n").encode() + b"\x81\x80abcd",
    }
    response = {
        "rfc-sample": b"\x01" + RESPONSE.encode(),
        "no-protocol": b"\x00" + RESPONSE.replace("Sec-WebSocket-Protocol: chat\r\n", "").encode(),
        "extension": b"\x01" + RESPONSE.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n").encode(),
        "frame-after": b"\x03" + RESPONSE.encode() + b"\x81\x02hi",
    }
    url = {
        "plain": b"ws://example.com/chat",
        "tls-port-query": b"wss://User:pw@Example.COM:8443/a%20b?x=1&y#frag",
        "ipv6": b"ws://[::ffff:127.0.0.1]:9000",
        "ipv6-full": b"wss://[2001:db8:0:0:0:0:2:1]/",
        "no-scheme-query": b"localhost?token=abc",
        "bad-port": b"ws://host:0/",
        "utf8-host-path": "ws://bücher.example/ünï code".encode(),
    }
    header_end = {
        "request": REQUEST.encode(),
        "response-and-frame": RESPONSE.encode() + b"\x81\x02hi",
        "bare-lf": b"GET / HTTP/1.1\n\nHost: x\r\n\r",
    }
    return {"request": request, "response": response, "url": url, "header_end": header_end}


def write(target, seeds):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder)
    for name, data in seeds.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    session = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "traces", "*.json"))):
        topic = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            traces = json.load(f)["traces"]
        for index, trace in enumerate(traces):
            program = session_program(trace)
            if len(program) <= 4096:
                session["%s-%02d" % (topic, index)] = program
    session.update(hand_written_sessions())
    write("session", session)
    for target, seeds in handshake_seeds().items():
        write(target, seeds)


if __name__ == "__main__":
    main()
