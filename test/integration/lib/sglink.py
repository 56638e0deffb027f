# SPDX-License-Identifier: Apache-2.0
"""A minimal link client (docs/protocol.md) for tests and benchmarks that
speak frames themselves: HELLO, BOARD_INFO, fault injection."""
import os, socket, struct

T_TIME, T_NONCE, T_TEST = 0x26, 0x6D, 0x6E
ST_RESET = 40


def tlv(t, v):
    return struct.pack(">BH", t, len(v)) + v


def tlvs(p):
    out, o = {}, 0
    while o + 3 <= len(p):
        t, n = struct.unpack(">BH", p[o:o + 3])
        out.setdefault(t, []).append(p[o + 3:o + 3 + n])
        o += 3 + n
    return out


class Link:
    def __init__(self, path, timeout=600):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(timeout)
        self.s.connect(path)

    def close(self):
        self.s.close()

    def _read(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise EOFError("link closed")
            b += c
        return b

    def send(self, cmd, payload=b""):
        self.s.sendall(b"SG" + bytes([1, cmd]) + struct.pack(">I", len(payload)) + payload)

    def recv(self):
        """One frame: (status, payload); skips bytes until the magic."""
        h = b""
        while h != b"SG":
            h = (h + self._read(1))[-2:]
        v, st = self._read(2)
        n = struct.unpack(">I", self._read(4))[0]
        return st, self._read(n)

    def call(self, cmd, payload=b""):
        self.send(cmd, payload)
        return self.recv()

    def hello(self):
        """HELLO until the token answers ours (it may first answer a stale
        frame, or announce a reset)."""
        for _ in range(8):
            nonce = os.urandom(8)
            self.send(0x17, tlv(T_NONCE, nonce))
            while True:
                st, p = self.recv()
                if st == 0 and tlvs(p).get(T_NONCE, [b""])[0] == nonce:
                    return
                break
        raise RuntimeError("no answer to HELLO")
