#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Link-protocol robustness test of the sim token (boards/sim/main.c).

Starts its own sbrguard-token ($BIN/sbrguard-token, BIN defaults to
build/host; BIN=build/asan for the ASan+UBSan build) in a fresh temporary
directory and talks to its UNIX socket directly: malformed headers, truncated
and half-sent frames, malformed TLV payloads, argument-less and oversized
requests, and a few hundred deterministic random frames. After every case the
token must still be alive and answer SG_CMD_INFO on a new connection.

Output: one line per check on stdout, "ok - what" or "not ok - what";
diagnostics go to stderr. Exit status is non-zero if any check failed.
"""
import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import frames_link  # noqa: E402
from frames_link import *  # noqa: E402,F401,F403  (the protocol, Conn, Token, check)


# --- Cases ----------------------------------------------------------------------
def case_bad_headers(tok):
    cases = [
        ("garbage bytes (bad magic)", b"GARBAGE!", SG_ST_FRAME),
        ("magic 'SX'", frame(SG_CMD_INFO, magic=b"SX"), SG_ST_FRAME),
        ("NUL header", b"\0" * 8, SG_ST_FRAME),
        ("wrong version 2", frame(SG_CMD_INFO, version=2), SG_ST_VERSION),
        ("wrong version 0", frame(SG_CMD_INFO, version=0), SG_ST_VERSION),
        ("wrong version 0xFF", frame(SG_CMD_INFO, version=0xFF), SG_ST_VERSION),
        ("length SG_MAX_PAYLOAD+1", frame(SG_CMD_INFO, length=SG_MAX_PAYLOAD + 1), SG_ST_TOO_LARGE),
        ("length 0xFFFFFFFF", frame(SG_CMD_INFO, length=0xFFFFFFFF), SG_ST_TOO_LARGE),
        ("length 0x80000000", frame(SG_CMD_RANDOM, length=0x80000000), SG_ST_TOO_LARGE),
    ]
    for name, raw, want in cases:
        c, r = one_shot(tok, raw)
        expect(r, want, name, closed=True, conn=c)
        c.close()
        healthy(tok, name)

    # More garbage than a header: the answer must still come back intact.
    name = "64 garbage bytes"
    c, r = one_shot(tok, bytes(random.Random(7).randrange(256) for _ in range(64)).replace(b"S", b"s"))
    expect(r, SG_ST_FRAME, name)
    c.close()
    healthy(tok, name)


def case_timeouts(tok):
    for name, raw in [
        ("truncated frame (header says 100, 10 sent)", frame(SG_CMD_RANDOM, b"\x14\x00\x02\x00\x10\xAA\xBB\xCC\xDD\xEE", length=100)),
        ("truncated header (4 bytes sent)", b"SG\x01\x01"),
    ]:
        c = Conn(tok.sock)
        t0 = time.monotonic()
        c.send(raw)
        r = c.recv_frame(timeout=3.5)
        dt = time.monotonic() - t0
        expect(r, SG_ST_TIMEOUT, f"{name}: within 3.5 s", closed=True, conn=c)
        check(1.0 <= dt <= 3.5, f"{name}: timeout after about 2 s", f"answered after {dt:.2f} s")
        c.close()
        healthy(tok, name)

    # A slow but complete frame (well inside the 2 s window) is served.
    name = "frame sent in 3 pieces within 1 s"
    c = Conn(tok.sock)
    raw = frame(SG_CMD_INFO)
    for piece in (raw[:3], raw[3:6], raw[6:]):
        c.send(piece)
        time.sleep(0.3)
    expect(c.recv_frame(), SG_ST_OK, name)
    c.close()
    healthy(tok, name)


def case_unknown_cmd(tok):
    for cmd in (0x00, 0x0F, 0x7F, 0xFF):
        name = f"unknown command 0x{cmd:02x}"
        c, r = one_shot(tok, frame(cmd))
        expect(r, SG_ST_UNKNOWN_CMD, name)
        # The stream is still in sync: the same connection serves INFO.
        r2 = c.call(SG_CMD_INFO) if not isinstance(r, str) else "no answer to the first frame"
        expect(r2, SG_ST_OK, f"{name}: same connection then serves INFO")
        c.close()
        healthy(tok, name)
    name = "unknown command with a payload"
    c, r = one_shot(tok, frame(0x42, tlv(SG_T_DATA, b"x" * 100)))
    expect(r, SG_ST_UNKNOWN_CMD, name)
    c.close()
    healthy(tok, name)


def case_bad_tlv(tok):
    cases = [
        ("TLV length past the end", frame(SG_CMD_RANDOM, b"\x14\x00\x10\x00\x10"), SG_ST_FRAME),
        ("TLV length 0xFFFF past the end", frame(SG_CMD_INFO, b"\x01\xFF\xFF" + b"A" * 20), SG_ST_FRAME),
        ("truncated TLV header (2 bytes)", frame(SG_CMD_RANDOM, b"\x14\x00"), SG_ST_FRAME),
        ("valid TLV then 1 stray byte", frame(SG_CMD_RANDOM, tlv(SG_T_COUNT, u(16, 2)) + b"\x14"), SG_ST_FRAME),
        ("malformed TLV in LOGIN", frame(SG_CMD_LOGIN, tlv(SG_T_USER_TYPE, b"\x01") + b"\x02\x00\x40abc"), SG_ST_FRAME),
        ("duplicated TLV tag (COUNT twice)",
         frame(SG_CMD_RANDOM, tlv(SG_T_COUNT, u(16, 2)) + tlv(SG_T_COUNT, u(16, 2))), SG_ST_ARGS),
        ("duplicated TLV tag (PIN twice in LOGIN)",
         frame(SG_CMD_LOGIN, tlv(SG_T_USER_TYPE, b"\x01") + tlv(SG_T_PIN, USER_PIN) + tlv(SG_T_PIN, b"other-pin")),
         SG_ST_ARGS),
        ("duplicated unknown TLV tag 0xEE",
         frame(SG_CMD_INFO, tlv(0xEE, b"") + tlv(0xEE, b"")), SG_ST_ARGS),
    ]
    for name, raw, want in cases:
        c, r = one_shot(tok, raw)
        expect(r, want, name)
        c.close()
        healthy(tok, name)


def case_zero_length(tok, state, conn_setup=None):
    """A frame with no payload for every command: missing arguments or a state error."""
    state_errors = {SG_ST_ARGS, SG_ST_NOT_INITIALIZED, SG_ST_NOT_LOGGED_IN, SG_ST_USER_PIN_NOT_SET}
    for name, cmd in ALL_CMDS.items():
        label = None
        if cmd in (SG_CMD_INFO, SG_CMD_BOARD_INFO):
            want = {SG_ST_OK}
        elif cmd in (SG_CMD_LIST, SG_CMD_LOG_INFO, SG_CMD_LOG_CHECKPOINT, SG_CMD_LOG_PUBKEY, SG_CMD_POLICY_INFO,
                     SG_CMD_BLOCKLIST_INFO):
            want = {SG_ST_OK, SG_ST_NOT_INITIALIZED}
        elif cmd == SG_CMD_LOGOUT:
            want = {SG_ST_OK, SG_ST_NOT_LOGGED_IN}
        else:
            want, label = state_errors, "SG_ST_ARGS or a state error"
        c = Conn(tok.sock)
        if conn_setup:
            conn_setup(c)
        c.send(frame(cmd))
        expect(c.recv_frame(), want, f"zero-length {name} ({state})", names=label)
        c.close()
        healthy(tok, f"zero-length {name} ({state})")


def login(c, pin=USER_PIN, user=SG_USER_USER):
    return c.call(SG_CMD_LOGIN, tlv(SG_T_USER_TYPE, bytes([user])) + tlv(SG_T_PIN, pin))


def tries(tok):
    d = info(tok)
    if isinstance(d, str):
        return None, None
    return d[SG_T_USER_TRIES][0], d[SG_T_SO_TRIES][0]


def setup_token(tok):
    c = Conn(tok.sock)
    expect(c.call(SG_CMD_INIT_TOKEN, tlv(SG_T_PIN, SO_PIN) + tlv(SG_T_LABEL, b"frames-test")), SG_ST_OK,
           "setup: INIT_TOKEN with SO PIN and label")
    expect(login(c, SO_PIN, SG_USER_SO), SG_ST_OK, "setup: SO LOGIN")
    expect(c.call(SG_CMD_INIT_PIN, tlv(SG_T_PIN, USER_PIN)), SG_ST_OK, "setup: INIT_PIN")
    expect(c.call(SG_CMD_LOGOUT), SG_ST_OK, "setup: LOGOUT")
    c.close()
    d = info(tok)
    ok = isinstance(d, dict) and (int.from_bytes(d[SG_T_TOKEN_FLAGS], "big") & 3) == 3
    check(ok, "setup: INFO shows the token initialized with a user PIN", str(d))


def case_oversized(tok):
    ut, so = tries(tok)
    # Label of 33 bytes with INIT_TOKEN: refused before the SO PIN is tried.
    name = f"INIT_TOKEN with a {SG_MAX_LABEL + 1}-byte label"
    c, r = one_shot(tok, frame(SG_CMD_INIT_TOKEN, tlv(SG_T_PIN, SO_PIN) + tlv(SG_T_LABEL, b"L" * (SG_MAX_LABEL + 1))))
    expect(r, SG_ST_ARGS, name)
    c.close()
    healthy(tok, name)
    d = info(tok)
    check(isinstance(d, dict) and d[SG_T_LABEL] == b"frames-test" and (int.from_bytes(d[SG_T_TOKEN_FLAGS], "big") & 2),
          f"{name}: label and user PIN unchanged", str(d))

    name = f"INIT_TOKEN with a {SG_MAX_PIN + 1}-byte SO PIN"
    c, r = one_shot(tok, frame(SG_CMD_INIT_TOKEN, tlv(SG_T_PIN, b"9" * (SG_MAX_PIN + 1)) + tlv(SG_T_LABEL, b"x")))
    expect(r, SG_ST_PIN_LEN, name)
    c.close()
    healthy(tok, name)

    name = f"LOGIN with a {SG_MAX_PIN + 1}-byte PIN"
    c = Conn(tok.sock)
    expect(login(c, b"7" * (SG_MAX_PIN + 1)), SG_ST_PIN_LEN, name)
    c.close()
    healthy(tok, name)
    name = f"LOGIN with a {SG_MIN_PIN - 1}-byte PIN"
    c = Conn(tok.sock)
    expect(login(c, b"7" * (SG_MIN_PIN - 1)), SG_ST_PIN_LEN, name)
    c.close()
    healthy(tok, name)
    check(tries(tok) == (ut, so), "PIN length errors consume no PIN tries",
          f"tries before {(ut, so)}, after {tries(tok)}")

    for count, width, want in [(5000, 2, SG_ST_ARGS), (SG_MAX_RANDOM + 1, 2, SG_ST_ARGS), (0, 2, SG_ST_ARGS),
                               (16, 4, SG_ST_ARGS), (0xFFFF, 2, SG_ST_ARGS), (SG_MAX_RANDOM, 2, SG_ST_OK)]:
        name = f"RANDOM with COUNT {count} ({width}-byte field)"
        c, r = one_shot(tok, frame(SG_CMD_RANDOM, tlv(SG_T_COUNT, u(count, width))))
        expect(r, want, name)
        if want == SG_ST_OK and not isinstance(r, str):
            v = dict(parse_tlvs(r[1])).get(SG_T_VALUE, b"")
            check(len(v) == count, f"{name}: returns {count} bytes", f"got {len(v)}")
        c.close()
        healthy(tok, name)

    # The largest legal payload is accepted (filler in an extra TLV).
    name = f"payload of exactly SG_MAX_PAYLOAD ({SG_MAX_PAYLOAD}) bytes"
    body = tlv(SG_T_COUNT, u(8, 2))
    body += tlv(SG_T_HOST_ATTRS, b"\xA5" * (SG_MAX_PAYLOAD - len(body) - 3))
    c, r = one_shot(tok, frame(SG_CMD_RANDOM, body))
    expect(r, SG_ST_OK, name)
    c.close()
    healthy(tok, name)

    # Logged-in requests with oversized fields.
    c = Conn(tok.sock)
    if not expect(login(c), SG_ST_OK, "user LOGIN for the oversized-field cases"):
        c.close()
        return None
    free0 = dict(parse_tlvs(c.call(SG_CMD_INFO)[1]))[SG_T_FREE_SLOTS]
    for name, body, want in [
        (f"GENERATE_KEY with a {SG_MAX_LABEL + 1}-byte label",
         tlv(SG_T_KEY_TYPE, b"\x01") + tlv(SG_T_LABEL, b"K" * (SG_MAX_LABEL + 1)), SG_ST_ARGS),
        (f"GENERATE_KEY with a {SG_MAX_ID + 1}-byte id",
         tlv(SG_T_KEY_TYPE, b"\x01") + tlv(SG_T_ID, b"\x01" * (SG_MAX_ID + 1)), SG_ST_ARGS),
        ("GENERATE_KEY with unknown key type 0x99", tlv(SG_T_KEY_TYPE, b"\x99"), SG_ST_KEY_TYPE),
        ("GENERATE_KEY with key type field of 2 bytes", tlv(SG_T_KEY_TYPE, b"\x00\x01"), SG_ST_ARGS),
        (f"CREATE_OBJECT with a {SG_MAX_VALUE + 1}-byte value",
         tlv(SG_T_CLASS, b"\x03") + tlv(SG_T_VALUE, b"v" * (SG_MAX_VALUE + 1)), SG_ST_ARGS),
    ]:
        cmd = SG_CMD_CREATE_OBJECT if name.startswith("CREATE") else SG_CMD_GENERATE_KEY
        expect(c.call(cmd, body), want, name)
        healthy(tok, name)
    r = c.call(SG_CMD_INFO)
    check(not isinstance(r, str) and dict(parse_tlvs(r[1]))[SG_T_FREE_SLOTS] == free0,
          "refused GENERATE_KEY/CREATE_OBJECT left no object behind")

    r = c.call(SG_CMD_GENERATE_KEY, tlv(SG_T_KEY_TYPE, bytes([SG_KEY_EC_P256])) + tlv(SG_T_LABEL, b"frames-key"))
    handle = None
    if expect(r, SG_ST_OK, "GENERATE_KEY EC P-256 (for the SIGN cases)"):
        handle = dict(parse_tlvs(r[1])).get(SG_T_HANDLE)
    if handle:
        for name, data, want in [
            (f"SIGN with {SG_MAX_SIGN_DATA + 1} bytes of data", b"d" * (SG_MAX_SIGN_DATA + 1), SG_ST_DATA_LEN),
            (f"SIGN with {SG_MAX_SIGN_DATA} bytes of data", b"d" * SG_MAX_SIGN_DATA, SG_ST_OK),
        ]:
            r = c.call(SG_CMD_SIGN, tlv(SG_T_HANDLE, handle) + tlv(SG_T_MECH, u(SG_MECH_ECDSA_SHA256, 4)) + tlv(SG_T_DATA, data))
            expect(r, want, name)
            healthy(tok, name)
        name = "SIGN with an unknown mechanism"
        r = c.call(SG_CMD_SIGN, tlv(SG_T_HANDLE, handle) + tlv(SG_T_MECH, u(0xDEAD, 4)) + tlv(SG_T_DATA, b"x"))
        expect(r, SG_ST_MECHANISM, name)
        name = "SIGN with handle 0xFFFF"
        r = c.call(SG_CMD_SIGN, tlv(SG_T_HANDLE, b"\xFF\xFF") + tlv(SG_T_MECH, u(SG_MECH_ECDSA_SHA256, 4)) + tlv(SG_T_DATA, b"x"))
        expect(r, SG_ST_NO_OBJECT, name)
        healthy(tok, name)
    c.close()
    return handle


def case_pipelined(tok):
    name = "two INFO frames in one write"
    c = Conn(tok.sock)
    c.send(frame(SG_CMD_INFO) + frame(SG_CMD_INFO))
    r1, r2 = c.recv_frame(), c.recv_frame()
    ok = not isinstance(r1, str) and not isinstance(r2, str) and r1[0] == SG_ST_OK and r2[0] == SG_ST_OK
    check(ok, f"{name}: both answered OK", f"{r1!r} / {r2!r}")
    c.close()
    healthy(tok, name)


def case_channels(tok, handle):
    """Login state belongs to one connection; a reused channel starts logged out."""
    a, b = Conn(tok.sock), Conn(tok.sock)
    expect(login(a), SG_ST_OK, "channel A: user LOGIN")
    r = b.call(SG_CMD_INFO)
    check(not isinstance(r, str) and r[0] == SG_ST_OK and dict(parse_tlvs(r[1]))[SG_T_LOGIN_STATE] == b"\0",
          "channel B (concurrent) is not logged in", repr(r))
    expect(b.call(SG_CMD_GENERATE_KEY, tlv(SG_T_KEY_TYPE, b"\x01") + tlv(SG_T_LABEL, b"x")), SG_ST_NOT_LOGGED_IN,
           "channel B: GENERATE_KEY while only A is logged in")
    a.close()
    b.close()
    time.sleep(0.1)
    for i in range(3):
        c = Conn(tok.sock)
        expect(c.call(SG_CMD_SIGN, tlv(SG_T_HANDLE, handle or b"\0\1") + tlv(SG_T_MECH, u(SG_MECH_ECDSA_SHA256, 4))
                      + tlv(SG_T_DATA, b"x")), SG_ST_NOT_LOGGED_IN,
               f"new connection {i + 1} after A closed: SIGN")
        c.close()
    healthy(tok, "login isolation")

    if handle:
        c = Conn(tok.sock)
        r = c.call(SG_CMD_GET_OBJECT, tlv(SG_T_HANDLE, handle))
        tags = [t for t, _ in parse_tlvs(r[1])] if not isinstance(r, str) else []
        check(not isinstance(r, str) and r[0] == SG_ST_OK and SG_T_PUBKEY in tags and all(t < 0x40 for t in tags),
              "GET_OBJECT of a key returns its public key and no record-only (private) tag",
              f"{r!r}")
        c.close()

    # All channels busy: the extra connection is turned away, the others still work.
    name = "more connections than channels"
    held = []
    for i in range(8):
        c = Conn(tok.sock)
        r = c.call(SG_CMD_INFO)
        if isinstance(r, str):
            c.close()
            break
        held.append(c)
    extra = Conn(tok.sock)
    try:
        extra.send(frame(SG_CMD_INFO))
    except OSError:
        pass
    r = extra.recv_frame(timeout=3)
    # SG_ST_BUSY (41) with a message, then the token closes (docs/protocol.md).
    busy = not isinstance(r, str) and r[0] == SG_ST_BUSY and b"connections in use" in dict(parse_tlvs(r[1])).get(0x3F, b"")
    r2 = extra.recv_frame(timeout=3) if busy else None
    check(len(held) == 8 and busy and isinstance(r2, str) and "closed" in r2,
          f"{name}: with 8 channels held, a 9th connection is told SG_ST_BUSY with a message, then closed",
          f"{len(held)} held, {r!r} {r2!r}")
    extra.close()
    for c in held:
        c.close()
    time.sleep(0.2)
    healthy(tok, name)


def case_slow_reader(tok):
    """A client that sends requests and never reads the answers must not stall other channels."""
    name = "client that never reads its responses"
    a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    a.connect(tok.sock)
    a.setblocking(False)
    fr = frame(SG_CMD_RANDOM, tlv(SG_T_COUNT, u(SG_MAX_RANDOM, 2)))
    sent, blocked_since, t0 = 0, None, time.monotonic()
    while time.monotonic() - t0 < 4:
        try:
            a.send(fr)
            sent += 1
            blocked_since = None
        except BlockingIOError:
            blocked_since = blocked_since or time.monotonic()
            if time.monotonic() - blocked_since > 0.5:
                break
            time.sleep(0.01)
        except OSError:
            break
    log(f"{name}: {sent} frames queued")
    t1 = time.monotonic()
    b = Conn(tok.sock)
    d = info(tok, b, timeout=5)
    b.close()
    check(isinstance(d, dict), f"{name}: another connection still gets INFO within 5 s",
          f"{d} after {time.monotonic() - t1:.1f} s; the token blocks in send_all (boards/sim/main.c)")
    a.close()
    time.sleep(0.3)
    healthy(tok, name)


def case_half_frames(tok):
    for name, raw in [
        ("half a frame then close", frame(SG_CMD_RANDOM, tlv(SG_T_COUNT, u(16, 2)) + b"\0" * 40)[:25]),
        ("half a header then close", b"SG\x01"),
        ("header only then close", frame(SG_CMD_SIGN, length=300)),
    ]:
        c = Conn(tok.sock)
        c.send(raw)
        c.close()
        time.sleep(0.1)
        healthy(tok, name)
    # Many connections abandoned at once, more than the token has channels.
    name = "20 connections left half-sent and closed"
    conns = []
    for i in range(20):
        try:
            c = Conn(tok.sock, 2)
            c.send(frame(SG_CMD_INFO, length=50)[: 3 + i % 6])
            conns.append(c)
        except OSError:
            pass
    for c in conns:
        c.close()
    time.sleep(0.2)
    healthy(tok, name)


def fuzz_payload(rng):
    parts = []
    for _ in range(rng.randrange(0, 6)):
        tag = rng.choice(KNOWN_TAGS) if rng.random() < 0.8 else rng.randrange(256)
        kind = rng.random()
        if kind < 0.4:
            val = rng.choice([b"", b"\x00", b"\x01", b"\x06", b"\x00\x01", b"\xff\xff", b"\x00\x00\x10\x44",
                              b"\x00\x00\x00\x01", b"\x00\x00\x00\x0d", b"\x00\x00\x02\x50", b"\x00\x00\x00\x02"])
        elif kind < 0.8:
            val = rng.randbytes(rng.randrange(0, 80))
        else:
            val = rng.randbytes(rng.randrange(0, 1500))
        t = tlv(tag, val)
        r = rng.random()
        if r < 0.03:  # length field lies
            t = t[:1] + struct.pack(">H", rng.randrange(0x10000)) + t[3:]
        elif r < 0.05:  # cut short
            t = t[:rng.randrange(len(t) + 1)]
        parts.append(t)
    payload = b"".join(parts)
    if rng.random() < 0.05:
        payload = rng.randbytes(rng.randrange(0, 64))
    return payload[:SG_MAX_PAYLOAD]


MECHS = [0x1, 0xD, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x1041, 0x1044, 0x1045, 0x1046, 0x250, 0xFFFFFFFF]
# Arguments each command takes (proto.h comments), for frames that get past the argument checks.
CMD_ARGS = {
    SG_CMD_LOGIN: [SG_T_USER_TYPE, SG_T_PIN],
    SG_CMD_SET_PIN: [SG_T_USER_TYPE, SG_T_PIN, SG_T_NEW_PIN],
    SG_CMD_GENERATE_KEY: [SG_T_KEY_TYPE, SG_T_ID, SG_T_LABEL, SG_T_FLAGS, SG_T_HOST_ATTRS],
    SG_CMD_GET_OBJECT: [SG_T_HANDLE],
    SG_CMD_SIGN: [SG_T_HANDLE, SG_T_MECH, SG_T_DATA, SG_T_PSS_HASH, SG_T_PSS_MGF, SG_T_PSS_SLEN],
    SG_CMD_CREATE_OBJECT: [SG_T_CLASS, SG_T_VALUE, SG_T_ID, SG_T_LABEL, SG_T_APPLICATION, SG_T_FLAGS,
                           SG_T_HOST_ATTRS],
    SG_CMD_DESTROY_OBJECT: [SG_T_HANDLE],
    SG_CMD_RANDOM: [SG_T_COUNT],
    SG_CMD_BIND_CA: [SG_T_HANDLE, SG_T_VALUE, SG_T_LABEL, SG_T_HOST_ATTRS],
}


def fuzz_value(rng, tag):
    if tag == SG_T_HANDLE:
        return u(rng.choice([0, 1, 2, 3, 4, 5, 32, 33, 0xFFFF]), 2)
    if tag == SG_T_MECH:
        return u(rng.choice(MECHS), 4)
    if tag in (SG_T_PSS_HASH, SG_T_PSS_MGF):
        return u(rng.choice([0x250, 0x260, 0x270, 2, 3, 4, 0]), 4)
    if tag == SG_T_PSS_SLEN:
        return u(rng.choice([0, 20, 32, 48, 64, 222, 478, 0xFFFFFFFF]), 4)
    if tag in (SG_T_USER_TYPE, SG_T_CLASS, SG_T_KEY_TYPE):
        return bytes([rng.choice([0, 1, 2, 3, 7, 0xFF])])
    if tag == SG_T_FLAGS:
        return u(rng.choice([0, 1, 2, 4, 0xFFFFFFFF]), 4)
    if tag == SG_T_COUNT:
        return u(rng.choice([1, 32, 1024, 1025, 0]), 2)
    if tag in (SG_T_PIN, SG_T_NEW_PIN):
        return rng.choice([USER_PIN, SO_PIN, b"1234", rng.randbytes(rng.randrange(0, 70))])
    if tag == SG_T_DATA:
        return rng.randbytes(rng.choice([0, 1, 20, 32, 48, 51, 64, 65, 83, 245, 300, 512, 6144]))
    if tag == SG_T_VALUE:  # sometimes a DER-looking certificate
        body = rng.randbytes(rng.randrange(0, 400))
        return rng.choice([body, b"\x30\x82" + u(len(body), 2) + body, b"\x30\x03\x30\x01\x00"])
    return rng.randbytes(rng.randrange(0, 40))


def fuzz_structured(rng, cmd):
    tags = [t for t in CMD_ARGS.get(cmd, []) if rng.random() < 0.9]
    rng.shuffle(tags)
    return b"".join(tlv(t, fuzz_value(rng, t)) for t in tags)


def tame(cmd, payload):
    """Keeps fuzz frames fast: RSA key generation (seconds under ASan) becomes EC P-256."""
    if cmd != SG_CMD_GENERATE_KEY:
        return payload
    out, off = bytearray(payload), 0
    while off + 3 <= len(out):
        ln = struct.unpack(">H", bytes(out[off + 1:off + 3]))[0]
        if off + 3 + ln > len(out):
            break
        if out[off] == SG_T_KEY_TYPE and ln == 1 and out[off + 3] in (4, 5, 6):
            out[off + 3] = SG_KEY_EC_P256
        off += 3 + ln
    return bytes(out)


def case_fuzz(tok):
    rng = random.Random(FUZZ_SEED)
    bad = []
    hist = {}
    crashed_at = None
    reconnects = 0
    c = Conn(tok.sock)
    logged_in = not isinstance(login(c), str)
    t0 = time.monotonic()
    for i in range(FUZZ_FRAMES):
        cmd = rng.randrange(1, 0x10) if rng.random() < 0.85 else rng.randrange(256)
        payload = tame(cmd, fuzz_structured(rng, cmd) if rng.random() < 0.5 else fuzz_payload(rng))
        try:
            c.send(frame(cmd, payload))
            r = c.recv_frame()
        except OSError as e:
            r = f"send failed: {e}"
        if isinstance(r, str):
            bad.append(f"frame {i} cmd 0x{cmd:02x} len {len(payload)}: {r}")
            if not tok.alive():
                crashed_at = i
                break
            c.close()
            c = Conn(tok.sock)
            reconnects += 1
            if rng.random() < 0.5:
                login(c)
        elif cmd == SG_CMD_LOGOUT and r[0] == SG_ST_OK:
            login(c)  # stay logged in, to reach the handlers behind the login
        else:
            hist[st_name(r[0])] = hist.get(st_name(r[0]), 0) + 1
        if not isinstance(r, str) and cmd not in ALL_CMDS.values() and r[0] != SG_ST_UNKNOWN_CMD and r[0] != SG_ST_FRAME and r[0] != SG_ST_ARGS:
            bad.append(f"frame {i} unknown cmd 0x{cmd:02x} answered {st_name(r[0])}")
    c.close()
    log(f"fuzz: {FUZZ_FRAMES} frames in {time.monotonic() - t0:.1f} s, logged in {logged_in}, reconnects {reconnects}")
    log("fuzz statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(hist.items(), key=lambda kv: -kv[1])))
    for b in bad[:10]:
        log("  " + b)
    check(crashed_at is None, f"fuzz: token survived {FUZZ_FRAMES} random frames (seed {FUZZ_SEED})",
          f"token died at frame {crashed_at}, exit {tok.proc.returncode}")
    check(not bad, f"fuzz: every random frame got one well-formed response",
          f"{len(bad)} bad answers")
    healthy(tok, "fuzz")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    bindir = os.environ.get("BIN", "build/host")
    if not os.path.isabs(bindir) and not os.path.exists(bindir):
        bindir = os.path.join(root, bindir)
    binary = os.path.join(bindir, "sbrguard-token")
    if not os.access(binary, os.X_OK):
        check(False, f"token binary {binary} exists", "build it with `make all` (or `make SAN=1 all`)")
        return 1
    work = tempfile.mkdtemp(prefix="sg-frames-")
    tok = None

    def on_signal(sig, _frame):
        raise SystemExit(128 + sig)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        try:
            tok = Token(binary, work)
        except (RuntimeError, OSError) as e:
            check(False, "token starts", str(e))
            return 1
        check(True, "token starts")
        healthy(tok, "fresh token")
        case_bad_headers(tok)
        case_unknown_cmd(tok)
        case_bad_tlv(tok)
        case_zero_length(tok, "blank token")
        setup_token(tok)
        case_zero_length(tok, "initialized, not logged in")
        case_zero_length(tok, "user logged in", conn_setup=login)
        handle = case_oversized(tok)
        case_channels(tok, handle)
        case_pipelined(tok)
        case_timeouts(tok)
        case_half_frames(tok)
        case_fuzz(tok)
        case_slow_reader(tok)

        rc = tok.stop(signal.SIGTERM)
        check(rc == 0, "token exits 0 on SIGTERM", f"exit status {rc}")
        err = tok.stderr_text()
        san = [ln for ln in err.splitlines() if "ERROR: AddressSanitizer" in ln or "runtime error:" in ln
               or "ERROR: LeakSanitizer" in ln]
        check(not san, "token stderr has no AddressSanitizer/UBSan report", "\n".join(san[:5]))
        if san or rc != 0:
            log("token stderr (tail):\n" + "\n".join(err.splitlines()[-40:]))
    except Exception as e:  # a bug in this script or an unexpected hang: still one line
        check(False, "test script ran to completion", repr(e))
        import traceback
        traceback.print_exc(file=sys.stderr)
    finally:
        if tok is not None and tok.alive():
            tok.stop(signal.SIGTERM, wait=5)
        shutil.rmtree(work, ignore_errors=True)
    return 1 if frames_link.failures else 0


if __name__ == "__main__":
    sys.exit(main())
