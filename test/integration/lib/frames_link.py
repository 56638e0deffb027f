# SPDX-License-Identifier: Apache-2.0
"""The link protocol as frames.py speaks it (docs/protocol.md): the
constants of include/sbrguard/proto.h, frame and TLV building, a connection
with deadlines, the sim token process, and the ok/not ok output."""
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

# --- Protocol constants: keep in sync with include/sbrguard/proto.h ----------
SG_PROTO_VERSION = 1
SG_FRAME_HDR_LEN = 8
SG_MAX_PAYLOAD = 8192
SG_MAX_LABEL = 32
SG_MIN_PIN = 4
SG_MAX_PIN = 64
SG_MAX_ID = 64
SG_MAX_VALUE = 3072
SG_MAX_RANDOM = 1024
SG_MAX_SIGN_DATA = 6144
SG_SERIAL_LEN = 16
SG_USER_MAX_TRIES = 3
SG_SO_MAX_TRIES = 5

# enum sg_cmd (proto.h)
SG_CMD_INFO = 0x01
SG_CMD_INIT_TOKEN = 0x02
SG_CMD_LOGIN = 0x03
SG_CMD_LOGOUT = 0x04
SG_CMD_INIT_PIN = 0x05
SG_CMD_SET_PIN = 0x06
SG_CMD_GENERATE_KEY = 0x07
SG_CMD_LIST = 0x08
SG_CMD_GET_OBJECT = 0x09
SG_CMD_SIGN = 0x0A
SG_CMD_CREATE_OBJECT = 0x0B
SG_CMD_DESTROY_OBJECT = 0x0C
SG_CMD_RANDOM = 0x0D
SG_CMD_BIND_CA = 0x0E
SG_CMD_AUTHORIZE = 0x10
# the enforcement log (include/sbrguard/log.h)
SG_CMD_LOG_INFO = 0x11
SG_CMD_LOG_READ = 0x12
SG_CMD_LOG_CHECKPOINT = 0x13
SG_CMD_LOG_PUBKEY = 0x14
SG_CMD_LOG_PROOF = 0x15
SG_CMD_LOG_ACK = 0x16
# the policy bundle and key escrow (include/sbrguard/bundle.h)
SG_CMD_POLICY_LOAD = 0x18
SG_CMD_POLICY_INFO = 0x19
SG_CMD_ESCROW_GENERATE = 0x1A
SG_CMD_ESCROW_DELIVER = 0x1B
SG_CMD_ESCROW_RECOVER = 0x1C
SG_CMD_HELLO = 0x17
SG_CMD_SET_TIME = 0x1E
SG_CMD_BOARD_INFO = 0x1F
# the SBR 6.1.1.3 compromised-key blocklist (include/sbrguard/blocklist.h)
SG_CMD_BLOCKLIST_LOAD = 0x20
SG_CMD_BLOCKLIST_INFO = 0x21
ALL_CMDS = {
    "INFO": SG_CMD_INFO, "INIT_TOKEN": SG_CMD_INIT_TOKEN, "LOGIN": SG_CMD_LOGIN,
    "LOGOUT": SG_CMD_LOGOUT, "INIT_PIN": SG_CMD_INIT_PIN, "SET_PIN": SG_CMD_SET_PIN,
    "GENERATE_KEY": SG_CMD_GENERATE_KEY, "LIST": SG_CMD_LIST,
    "GET_OBJECT": SG_CMD_GET_OBJECT, "SIGN": SG_CMD_SIGN,
    "CREATE_OBJECT": SG_CMD_CREATE_OBJECT, "DESTROY_OBJECT": SG_CMD_DESTROY_OBJECT,
    "RANDOM": SG_CMD_RANDOM, "BIND_CA": SG_CMD_BIND_CA, "AUTHORIZE": SG_CMD_AUTHORIZE,
    "LOG_INFO": SG_CMD_LOG_INFO, "LOG_READ": SG_CMD_LOG_READ, "LOG_CHECKPOINT": SG_CMD_LOG_CHECKPOINT,
    "LOG_PUBKEY": SG_CMD_LOG_PUBKEY, "LOG_PROOF": SG_CMD_LOG_PROOF, "LOG_ACK": SG_CMD_LOG_ACK,
    "POLICY_LOAD": SG_CMD_POLICY_LOAD, "POLICY_INFO": SG_CMD_POLICY_INFO,
    "ESCROW_GENERATE": SG_CMD_ESCROW_GENERATE, "ESCROW_DELIVER": SG_CMD_ESCROW_DELIVER,
    "ESCROW_RECOVER": SG_CMD_ESCROW_RECOVER,
    "HELLO": SG_CMD_HELLO, "SET_TIME": SG_CMD_SET_TIME, "BOARD_INFO": SG_CMD_BOARD_INFO,
    "BLOCKLIST_LOAD": SG_CMD_BLOCKLIST_LOAD, "BLOCKLIST_INFO": SG_CMD_BLOCKLIST_INFO,
}

# enum sg_status (proto.h)
SG_ST_OK = 0
SG_ST_FRAME = 1
SG_ST_VERSION = 2
SG_ST_TOO_LARGE = 3
SG_ST_UNKNOWN_CMD = 4
SG_ST_ARGS = 5
SG_ST_NOT_INITIALIZED = 6
SG_ST_PIN_INCORRECT = 7
SG_ST_PIN_LOCKED = 8
SG_ST_NOT_LOGGED_IN = 9
SG_ST_ALREADY_LOGGED_IN = 10
SG_ST_OTHER_USER_LOGGED_IN = 11
SG_ST_NO_OBJECT = 12
SG_ST_MECHANISM = 13
SG_ST_MECH_PARAM = 14
SG_ST_KEY_TYPE = 15
SG_ST_DATA_LEN = 16
SG_ST_NO_SPACE = 17
SG_ST_FLASH = 18
SG_ST_CRYPTO = 19
SG_ST_POLICY_REJECTED = 20
SG_ST_PIN_LEN = 21
SG_ST_USER_PIN_NOT_SET = 22
SG_ST_CERT_MISMATCH = 23
SG_ST_PROHIBITED = 24
SG_ST_TIMEOUT = 25
SG_ST_INTERNAL = 26
SG_ST_LOG_FULL = 27
SG_ST_LOG_PRUNED = 28
SG_ST_LOG_CORRUPT = 29
SG_ST_BUNDLE_SIGNATURE = 30
SG_ST_BUNDLE_ROLLBACK = 31
SG_ST_BUNDLE_MALFORMED = 32
SG_ST_NO_POLICY_KEY = 33
SG_ST_ESCROW_REFUSED = 34
SG_ST_BUNDLE_TOO_LARGE = 35
SG_ST_BUSY = 41  # unsolicited, then closed: every connection in use (sim)
ST_NAMES = {v: k for k, v in globals().items() if k.startswith("SG_ST_")}

# enum sg_tag (proto.h)
SG_T_LABEL = 0x01
SG_T_PIN = 0x02
SG_T_NEW_PIN = 0x03
SG_T_USER_TYPE = 0x04
SG_T_HANDLE = 0x05
SG_T_CLASS = 0x06
SG_T_KEY_TYPE = 0x07
SG_T_ID = 0x08
SG_T_PUBKEY = 0x09
SG_T_VALUE = 0x0A
SG_T_MECH = 0x0B
SG_T_DATA = 0x0C
SG_T_SIGNATURE = 0x0D
SG_T_PSS_HASH = 0x0E
SG_T_PSS_MGF = 0x0F
SG_T_PSS_SLEN = 0x10
SG_T_FLAGS = 0x11
SG_T_APPLICATION = 0x12
SG_T_COUNT = 0x14
SG_T_FW_VERSION = 0x20
SG_T_SERIAL = 0x21
SG_T_TOKEN_FLAGS = 0x22
SG_T_USER_TRIES = 0x23
SG_T_SO_TRIES = 0x24
SG_T_FREE_SLOTS = 0x25
SG_T_TIME = 0x26
SG_T_MAX_PAYLOAD = 0x27
SG_T_LOGIN_STATE = 0x28
SG_T_TOTAL_SLOTS = 0x29
SG_T_BOUND_KEY = 0x2A
SG_T_KEY_BITS = 0x2B
SG_T_HOST_ATTRS = 0x2F
SG_T_LIST_ENTRY = 0x30
SG_T_MESSAGE = 0x3F
KNOWN_TAGS = [v for k, v in globals().items() if k.startswith("SG_T_")]

SG_USER_SO = 0
SG_USER_USER = 1
SG_CLASS_KEY, SG_CLASS_CERT, SG_CLASS_DATA = 1, 2, 3
SG_KEY_EC_P256, SG_KEY_EC_P384, SG_KEY_EC_P521 = 1, 2, 3
SG_KEY_RSA_2048, SG_KEY_RSA_3072, SG_KEY_RSA_4096 = 4, 5, 6
SG_TF_INITIALIZED = 0x0001
SG_TF_USER_PIN_SET = 0x0002
SG_MECH_ECDSA_SHA256 = 0x00001044

SO_PIN = b"so-pin-1234"
USER_PIN = b"user-pin-1234"

# Generous I/O timeouts: the ASan build is slow, and a hang must fail, not stall.
REPLY_TIMEOUT = 20.0
FUZZ_FRAMES = 300
FUZZ_SEED = 1234

# --- Output -------------------------------------------------------------------
failures = 0


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def check(cond, what, detail=""):
    global failures
    if cond:
        print(f"ok - {what}", flush=True)
    else:
        failures += 1
        print(f"not ok - {what}", flush=True)
        if detail:
            log(f"  {what}: {detail}")
    return bool(cond)


def st_name(st):
    if st is None:
        return "no answer"
    return ST_NAMES.get(st, f"status {st}")


# --- Frames ---------------------------------------------------------------------
def tlv(tag, value):
    return bytes([tag]) + struct.pack(">H", len(value)) + value


def u(v, width):
    return v.to_bytes(width, "big")


def frame(cmd, payload=b"", version=SG_PROTO_VERSION, magic=b"SG", length=None):
    n = len(payload) if length is None else length
    return magic + bytes([version, cmd]) + struct.pack(">I", n) + payload


def parse_tlvs(p):
    """Returns a list of (tag, value), or None if the payload is malformed."""
    out, off = [], 0
    while off < len(p):
        if len(p) - off < 3:
            return None
        tag, ln = p[off], struct.unpack(">H", p[off + 1:off + 3])[0]
        if len(p) - off - 3 < ln:
            return None
        out.append((tag, p[off + 3:off + 3 + ln]))
        off += 3 + ln
    return out


class Conn:
    """One link channel. recv_frame() returns (status, payload) or an error string."""

    def __init__(self, path, timeout=REPLY_TIMEOUT):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)

    def send(self, data):
        self.s.sendall(data)

    def _read(self, n, deadline):
        buf = b""
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer in time")
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(n - len(buf))
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise EOFError(f"connection closed after {len(buf)} of {n} bytes")
            buf += chunk
        return buf

    def recv_frame(self, timeout=REPLY_TIMEOUT):
        """Reads one response frame and checks it is well formed."""
        deadline = time.monotonic() + timeout
        try:
            hdr = self._read(SG_FRAME_HDR_LEN, deadline)
        except (TimeoutError, socket.timeout, EOFError) as e:
            return f"no response frame: {e}"
        if hdr[:2] != b"SG" or hdr[2] != SG_PROTO_VERSION:
            return f"bad response header {hdr.hex()}"
        n = struct.unpack(">I", hdr[4:])[0]
        if n > SG_MAX_PAYLOAD:
            return f"response length {n} above SG_MAX_PAYLOAD"
        try:
            payload = self._read(n, deadline)
        except (TimeoutError, socket.timeout, EOFError) as e:
            return f"truncated response payload: {e}"
        if parse_tlvs(payload) is None:
            return f"response payload is not well-formed TLV: {payload.hex()}"
        if hdr[3] not in ST_NAMES:
            return f"response status {hdr[3]} not defined in proto.h"
        return hdr[3], payload

    def closed_by_peer(self, timeout=3.0):
        """True if the token closes the connection (EOF) within timeout."""
        try:
            self.s.settimeout(timeout)
            return self.s.recv(1) == b""
        except ConnectionResetError:
            return True
        except (socket.timeout, TimeoutError, OSError):
            return False

    def call(self, cmd, payload=b"", timeout=REPLY_TIMEOUT):
        self.send(frame(cmd, payload))
        return self.recv_frame(timeout)

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


# --- The token process -------------------------------------------------------
class Token:
    def __init__(self, binary, workdir):
        self.sock = os.path.join(workdir, "token.sock")
        self.flash = os.path.join(workdir, "flash.bin")
        self.errpath = os.path.join(workdir, "token.stderr")
        self.errf = open(self.errpath, "wb")
        self.proc = subprocess.Popen([binary, "--socket", self.sock, "--flash", self.flash],
                                     stdin=subprocess.DEVNULL, stdout=self.errf, stderr=self.errf)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                c = Conn(self.sock, 2)
                c.close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"token did not come up (exit {self.proc.poll()}); see {self.errpath}")

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, wait=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.errf.close()
        return self.proc.returncode

    def stderr_text(self):
        try:
            with open(self.errpath, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


def info(tok, conn=None, timeout=REPLY_TIMEOUT):
    """INFO on a new (or the given) connection; returns dict tag -> value, or an error string."""
    c = conn
    try:
        if c is None:
            c = Conn(tok.sock)
        r = c.call(SG_CMD_INFO, timeout=timeout)
    except OSError as e:
        return f"INFO: {e}"
    finally:
        if conn is None and c is not None:
            c.close()
    if isinstance(r, str):
        return r
    st, p = r
    if st != SG_ST_OK:
        return f"INFO answered {st_name(st)}"
    tl = parse_tlvs(p)
    d = dict(tl)
    want = {SG_T_FW_VERSION: 2, SG_T_SERIAL: SG_SERIAL_LEN, SG_T_TOKEN_FLAGS: 4, SG_T_USER_TRIES: 1,
            SG_T_SO_TRIES: 1, SG_T_FREE_SLOTS: 2, SG_T_TOTAL_SLOTS: 2, SG_T_TIME: 8,
            SG_T_MAX_PAYLOAD: 4, SG_T_LOGIN_STATE: 1}
    for tag, ln in want.items():
        if tag not in d or len(d[tag]) != ln:
            return f"INFO lacks tag 0x{tag:02x} of {ln} bytes: {p.hex()}"
    if SG_T_LABEL not in d or len(d[SG_T_LABEL]) > SG_MAX_LABEL:
        return "INFO label missing or too long"
    if int.from_bytes(d[SG_T_MAX_PAYLOAD], "big") != SG_MAX_PAYLOAD:
        return "INFO max payload differs from SG_MAX_PAYLOAD"
    if not all(0x20 <= b < 0x7F for b in d[SG_T_SERIAL]):
        return "INFO serial not printable"
    return d


def healthy(tok, case):
    """The check after every case: process alive and INFO served on a new connection."""
    if not tok.alive():
        return check(False, f"{case}: token still alive and serving INFO",
                     f"token exited with {tok.proc.returncode}")
    d = info(tok)
    return check(isinstance(d, dict), f"{case}: token still alive and serving INFO",
                 d if isinstance(d, str) else "")


def expect(r, want, case, closed=None, conn=None, names=None):
    """Checks a response's status is in want (a status or a set of them)."""
    want = {want} if isinstance(want, int) else set(want)
    names = names or " or ".join(sorted(st_name(w) for w in want))
    if isinstance(r, str):
        return check(False, f"{case}: answered {names}", r)
    ok = r[0] in want
    detail = f"got {st_name(r[0])}, payload {r[1].hex()}"
    if ok and closed is not None and conn is not None:
        shut = conn.closed_by_peer()
        if shut != closed:
            ok = False
            detail = "connection " + ("left open" if closed else "closed") + " by the token"
        names += " and " + ("closed the connection" if closed else "kept the connection")
    return check(ok, f"{case}: answered {names}", "" if ok else detail)


def one_shot(tok, raw, timeout=REPLY_TIMEOUT):
    """Sends raw bytes on a new connection, returns (conn, response)."""
    c = Conn(tok.sock)
    c.send(raw)
    return c, c.recv_frame(timeout)
