"""Benchmark of the 2D-Doc helpers (titres.core.twoddoc).

    make bench-twoddoc            # DEBUG=0 with development keys allowed
    .venv/bin/python bench/twoddoc.py [--runs 200] [--verifications 2000]

Measured in the same run, each beside its baseline:
- a small A4 PDF carrying a signed CPI 2D-Doc (sign + DataMatrix + PDF),
  median time and peak Python memory, against the same PDF with a QR code
  instead (titres.core.pdf's existing helper), and its parts (signing
  alone, DataMatrix alone);
- verifications per second of `twoddoc.verify` (header, trust list,
  signature, fields, expiry) against the bare ECDSA verification of the
  same bytes with `cryptography` (the floor);
- reading the DataMatrix back from its PNG, per second.
It prints figures; it never asserts a time.
"""

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titres.settings")
os.environ.setdefault("TWODDOC_ALLOW_DEV_KEYS", "1")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: E402
from PIL import Image  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402

from titres.core import twoddoc  # noqa: E402
from titres.core.pdf import Document  # noqa: E402
from titres.core.twoddoc import keys, signature  # noqa: E402

FIELDS = {
    "01": "VEH-2026-000123",
    "A0": "FR",
    "A1": "AB-123-CD",
    "A4": "VF1RFB00X12345678",
    "A2": "Renault",
    "A3": "Clio",
    "AA": dt.date(2019, 5, 17),
    "A6": "ES",
    "62": "Dubois",
    "60": "Hélène Marie",
    "6W": "69003",
    "6X": "Lyon",
    "6N": dt.date(2026, 11, 30),
    "08": dt.date(2026, 12, 30),
}


def _page(with_code) -> bytes:
    document = Document("Certificat provisoire d’immatriculation")
    document.letterhead(20 * mm, 280 * mm)
    canvas = document.canvas
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(20 * mm, 260 * mm, "CERTIFICAT PROVISOIRE D’IMMATRICULATION")
    canvas.setFont("Helvetica", 10)
    for line, text in enumerate(
        ["Immatriculation : AB-123-CD", "VIN : VF1RFB00X12345678", "Titulaire : DUBOIS Hélène"]
    ):
        canvas.drawString(20 * mm, (245 - 6 * line) * mm, text)
    with_code(document)
    return document.bytes()


def with_2ddoc(document):
    text = twoddoc.encode("Z1", FIELDS)
    twoddoc.datamatrix.draw(document, text, 150 * mm, 230 * mm, 35 * mm)


def with_qr(document):
    document.qr_code("https://titres.example/verifier/VEH-2026-000123", 150 * mm, 230 * mm, 35 * mm)


def median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def peak_kib(func) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def per_second(func, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        func()
    return count / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--verifications", type=int, default=2000)
    args = parser.parse_args()

    key = keys.signing_key()
    print(
        f"2D-Doc bench: clé {key.ca_id}/{key.cert_id} (P-256), {args.runs} PDF, {args.verifications} vérifications"
    )
    text = twoddoc.encode("Z1", FIELDS)
    print(
        f"  message signé : {len(text)} caractères, DataMatrix {twoddoc.datamatrix.image(text, scale=1).size[0]} modules de côté (zone calme comprise)"
    )

    # Warm-up (imports, font loading, first key load).
    _page(with_2ddoc), _page(with_qr)

    baseline_ms = median_ms(lambda: _page(with_qr), args.runs)
    full_ms = median_ms(lambda: _page(with_2ddoc), args.runs)
    sign_ms = median_ms(lambda: twoddoc.encode("Z1", FIELDS), args.runs)
    matrix_ms = median_ms(lambda: twoddoc.datamatrix.png(text), args.runs)
    baseline_peak = peak_kib(lambda: _page(with_qr))
    full_peak = peak_kib(lambda: _page(with_2ddoc))
    print("PDF A4 avec 2D-Doc (signature + DataMatrix + PDF)")
    print(
        f"  référence, même PDF avec un QR code : médiane {baseline_ms:7.2f} ms, pic mémoire {baseline_peak:8.0f} Kio"
    )
    print(
        f"  avec 2D-Doc                          : médiane {full_ms:7.2f} ms, pic mémoire {full_peak:8.0f} Kio"
    )
    print(
        f"  rapport 2D-Doc / référence           : ×{full_ms / baseline_ms:.2f} en temps, ×{full_peak / baseline_peak:.2f} en mémoire"
    )
    print(f"  dont signature seule (encode)        : médiane {sign_ms:7.3f} ms")
    print(f"  dont DataMatrix PNG seul             : médiane {matrix_ms:7.3f} ms")

    public = key.trusted.public_key
    signed, sig = text.split(twoddoc.US)
    raw = signature.b32decode(sig)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    data = signed.encode("ascii")

    def bare():
        public.verify(der, data, ec.ECDSA(hashes.SHA256()))

    today = dt.date(2026, 12, 1)
    assert twoddoc.verify(text, today=today).authentic
    bare_rate = per_second(bare, args.verifications)
    full_rate = per_second(lambda: twoddoc.verify(text, today=today), args.verifications)
    print("Vérification")
    print(f"  référence, ECDSA P-256 seul (cryptography) : {bare_rate:8.0f} /s")
    print(
        f"  twoddoc.verify complet                     : {full_rate:8.0f} /s (×{full_rate / bare_rate:.2f} de la référence)"
    )

    picture = Image.open(io.BytesIO(twoddoc.datamatrix.png(text)))
    picture.load()
    reads = max(50, args.verifications // 10)
    read_rate = per_second(lambda: twoddoc.datamatrix.read(picture), reads)
    print(
        f"  lecture du DataMatrix depuis le PNG        : {read_rate:8.0f} /s ({picture.width}×{picture.height} px)"
    )


if __name__ == "__main__":
    main()
