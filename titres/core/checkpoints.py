"""Signed checkpoints: the journal's chain anchored outside the database.

Anyone with write access to the database can delete entries and recompute
every hash after them: the chain alone then still "verifies". A checkpoint
is the head of the sealed chain (its sequence and hash) signed with an
Ed25519 key that the database never holds (a key file on the sealer's
machine, JOURNAL_CHECKPOINT_KEY), written where the database cannot rewrite
it: the `journal_checkpoints` storage when STORAGES defines one (an object
store bucket with object lock), else the directory JOURNAL_CHECKPOINT_DIR;
and mailed to JOURNAL_CHECKPOINT_EMAIL when set. `verify_chain` compares the
chain with every checkpoint and names the first entry after the last one
that still matches.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone

from .models import JournalHead

logger = logging.getLogger(__name__)

FORMAT = "titres-journal-checkpoint-v1"
PREFIX = "checkpoint-"


class CheckpointError(Exception):
    """A checkpoint cannot be written (no key) or read (bad signature)."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    created_at: str
    key_id: str
    name: str = ""

    def payload(self) -> bytes:
        """The signed bytes: canonical JSON of everything but the signature."""
        return json.dumps(
            {
                "format": FORMAT,
                "sequence": self.sequence,
                "hash": self.hash,
                "created_at": self.created_at,
                "key_id": self.key_id,
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()


# --- Keys ---------------------------------------------------------------------


def generate_key(path: Path) -> Ed25519PublicKey:
    """Write a new private key (PEM, mode 0600) to `path`; refuses to overwrite."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as stream:
        path.chmod(0o600)
        stream.write(pem)
    return key.public_key()


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """Short fingerprint naming the key in each checkpoint (hex of the first
    8 bytes of the raw public key's SHA-256)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signing_key() -> Ed25519PrivateKey | None:
    path = settings.JOURNAL_CHECKPOINT_KEY
    if not path:
        return None
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise CheckpointError(f"clé de signature illisible ({path}) : {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"la clé {path} n'est pas une clé Ed25519")
    return key


def checkpoints_enabled() -> bool:
    """True when a signing key is configured. In development (DEBUG) the key
    under var/ is created on first use, so `make run` anchors its journal."""
    path = settings.JOURNAL_CHECKPOINT_KEY
    if not path:
        return False
    if settings.DEBUG and not Path(path).exists():
        generate_key(Path(path))
    return True


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """Public keys whose checkpoints are accepted: JOURNAL_CHECKPOINT_PUBLIC_KEYS
    (PEM files; old keys stay listed after a rotation) plus the signing key's."""
    keys = []
    for path in settings.JOURNAL_CHECKPOINT_PUBLIC_KEYS:
        try:
            key = serialization.load_pem_public_key(Path(path).read_bytes())
        except (OSError, ValueError) as error:
            raise CheckpointError(f"clé publique illisible ({path}) : {error}") from error
        if isinstance(key, Ed25519PublicKey):
            keys.append(key)
    private = signing_key()
    if private is not None:
        keys.append(private.public_key())
    return {key_id(key): key for key in keys}


# --- Store ----------------------------------------------------------------------


def checkpoint_storage() -> Storage:
    try:
        return storages["journal_checkpoints"]
    except Exception:  # noqa: BLE001 - InvalidStorageError: the alias is optional
        return FileSystemStorage(location=settings.JOURNAL_CHECKPOINT_DIR)


def write_checkpoint() -> Checkpoint | None:
    """Sign the current head of the sealed chain and store it; None when the
    head has not moved since the last checkpoint or the chain is empty."""
    key = signing_key()
    if key is None:
        raise CheckpointError("JOURNAL_CHECKPOINT_KEY n'est pas configurée")
    head = JournalHead.objects.filter(pk=1).first()
    if head is None or head.last_sequence == 0:
        return None
    latest = read_checkpoints()[-1:]
    if latest and (latest[0].sequence, latest[0].hash) == (head.last_sequence, head.last_hash):
        return None
    now = timezone.now().astimezone(UTC)
    checkpoint = Checkpoint(
        sequence=head.last_sequence,
        hash=head.last_hash,
        created_at=now.isoformat(timespec="seconds"),
        key_id=key_id(key.public_key()),
    )
    document = json.loads(checkpoint.payload())
    document["signature"] = base64.b64encode(key.sign(checkpoint.payload())).decode()
    body = json.dumps(document, indent=2, sort_keys=True) + "\n"
    name = f"{PREFIX}{checkpoint.sequence:015d}-{now:%Y%m%dT%H%M%SZ}.json"
    stored = checkpoint_storage().save(name, ContentFile(body.encode()))
    if settings.JOURNAL_CHECKPOINT_EMAIL:
        from .notifications import notify_email

        notify_email(
            template="core/emails/journal_checkpoint",
            to=settings.JOURNAL_CHECKPOINT_EMAIL,
            context={"sequence": checkpoint.sequence, "name": stored, "document": body},
        )
    logger.info("point de contrôle du journal écrit : %s", stored)
    return Checkpoint(**{**checkpoint.__dict__, "name": stored})


def parse_checkpoint(name: str, content: bytes, keys: dict[str, Ed25519PublicKey]) -> Checkpoint:
    try:
        document = json.loads(content)
        checkpoint = Checkpoint(
            sequence=int(document["sequence"]),
            hash=str(document["hash"]),
            created_at=str(document["created_at"]),
            key_id=str(document["key_id"]),
            name=name,
        )
        signature = base64.b64decode(document["signature"], validate=True)
        if document.get("format") != FORMAT:
            raise ValueError("format inconnu")
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"point de contrôle {name} illisible ({error})") from error
    key = keys.get(checkpoint.key_id)
    if key is None:
        raise CheckpointError(f"point de contrôle {name} signé par une clé inconnue")
    try:
        key.verify(signature, checkpoint.payload())
    except InvalidSignature as error:
        raise CheckpointError(f"point de contrôle {name} : signature invalide") from error
    return checkpoint


def read_checkpoints() -> list[Checkpoint]:
    """Every stored checkpoint, signature checked, by sequence then date."""
    storage = checkpoint_storage()
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return []
    keys = trusted_keys()
    found = []
    for name in sorted(files):
        if not (name.startswith(PREFIX) and name.endswith(".json")):
            continue
        with storage.open(name, "rb") as stream:
            found.append(parse_checkpoint(name, stream.read(), keys))
    return sorted(found, key=lambda c: (c.sequence, c.created_at))
