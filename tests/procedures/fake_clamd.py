"""A tiny clamd speaking the real INSTREAM protocol (zINSTREAM\\0, 4-byte
big-endian chunk lengths, zero terminator) that finds the EICAR test string,
for every test of a file going through the engine's antivirus."""

import io
import socket
import struct
import threading

from PIL import Image
from PIL.PngImagePlugin import PngInfo

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def infected_png() -> bytes:
    """A well-formed PNG (it passes every format check) carrying the EICAR
    string in a text chunk: only the antivirus can refuse it."""
    meta = PngInfo()
    meta.add_text("Comment", EICAR.decode("ascii"))
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG", pnginfo=meta)
    return buffer.getvalue()


class FakeClamd:
    def __init__(self, family=socket.AF_INET, path=None):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        if family == socket.AF_INET:
            self.sock.bind(("127.0.0.1", 0))
            self.url = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        else:
            self.sock.bind(path)
            self.url = f"unix://{path}"
        self.sock.listen(5)
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exact(self, conn, n):
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                if command == b"zPING\0":
                    conn.sendall(b"PONG\0")
                    continue
                assert command == b"zINSTREAM\0"
                payload = b""
                while True:
                    (length,) = struct.unpack("!L", self._read_exact(conn, 4))
                    if not length:
                        break
                    payload += self._read_exact(conn, length)
                self.received.append(payload)
                if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in payload:
                    conn.sendall(b"stream: Eicar-Signature FOUND\0")
                else:
                    conn.sendall(b"stream: OK\0")

    def close(self):
        self.sock.close()
