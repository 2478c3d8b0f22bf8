"""Signing key of the local identity provider.

The key comes from `DEVIDP_PRIVATE_KEY` (PEM, `\\n` escapes allowed) or is
generated once into `VAR_DIR/devidp_private_key.pem` (mode 0600), so tokens
issued before a restart still verify after it."""

import contextlib
import os
from pathlib import Path

import environ
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_FILE_NAME = "devidp_private_key.pem"


def _generate_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def private_key_pem(var_dir: Path) -> str:
    pem = environ.Env().str("DEVIDP_PRIVATE_KEY", default="")
    if pem:
        return pem.replace("\\n", "\n")
    path = Path(var_dir) / KEY_FILE_NAME
    if not path.exists():
        # Written to a temporary file then hard-linked: link() fails if another
        # process won the race, and nobody ever reads a half-written key.
        tmp = path.with_name(f".{KEY_FILE_NAME}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_generate_pem())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text()
