"""Upload validation benchmark (make bench-upload).

Builds an 11 MB PDF of 5 pages and a 10 MB multi-page TIFF, runs the
validation N times and prints the median time and the peak extra memory
(tracemalloc, plus the process's max RSS growth), next to a baseline that
only reads the bytes. Targets: under 0.3 s and 64 MB extra each. Figures
are printed, never asserted.
"""

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titres.settings")

import django

django.setup()

from PIL import Image  # noqa: E402
from pypdf import PdfWriter  # noqa: E402
from pypdf.generic import DecodedStreamObject, NameObject  # noqa: E402

from titres.procedures.validation import inspect_upload  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "9"))
MB = 1024 * 1024


def make_pdf(target=11 * MB - 4096, pages=5) -> bytes:
    """5 pages, each carrying a big (incompressible) content stream."""
    writer = PdfWriter()
    per_page = target // pages
    for index in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        # A comment line of random bytes: valid content, realistic size.
        stream.set_data(b"%" + os.urandom(per_page - 64).replace(b"\n", b" ") + b"\nBT ET\n")
        page[NameObject("/Contents")] = writer._add_object(stream)
        del index
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_tiff(target=10 * MB) -> bytes:
    """Grey scanned pages (A4 at 200 dpi, uncompressed) up to ~10 MB."""
    width, height = 1654, 2339
    frames = []
    size = 0
    while size + width * height <= target:
        frames.append(Image.frombytes("L", (width, height), os.urandom(width * height)))
        size += width * height
    rest = target - size - 8192
    if rest > width:
        frames.append(
            Image.frombytes("L", (width, rest // width), os.urandom(rest // width * width))
        )
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise OSError(field)


def rss_growth(function, path) -> float:
    """Peak RSS growth (bytes) of one run in a fresh process: unlike
    tracemalloc it also counts memory allocated in C (Pillow's images)."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", function.__name__, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


def child(function_name: str, path: str) -> None:
    function = globals()[function_name]
    before = _status_kb("VmRSS")
    with open(path, "rb") as stream:
        function(stream)
    print((_status_kb("VmHWM") - before) * 1024)


def measure(label, function, path):
    times, peaks = [], []
    for _ in range(RUNS):
        with open(path, "rb") as stream:
            tracemalloc.start()
            start = time.perf_counter()
            result = function(stream)
            times.append(time.perf_counter() - start)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    rss = max(rss_growth(function, path) for _ in range(3))
    peak = max(max(peaks), rss)
    print(
        f"{label:<34} median {statistics.median(times) * 1000:7.1f} ms   "
        f"peak extra: Python {max(peaks) / MB:5.1f} MB, RSS {rss / MB:5.1f} MB   {result}"
    )
    return statistics.median(times), peak


def baseline(stream):
    data = stream.read()
    return f"{len(data)} bytes read"


def validate(stream):
    info = inspect_upload(stream)
    return f"{info.kind}, {info.pages} pages"


def main():
    print("Generating files...")
    pdf = make_pdf()
    tiff = make_tiff()
    print(f"PDF {len(pdf) / MB:.1f} MB, TIFF {len(tiff) / MB:.1f} MB; {RUNS} runs each\n")
    with tempfile.TemporaryDirectory() as folder:
        for name, content, suffix in [
            ("PDF 11 MB / 5 pages", pdf, ".pdf"),
            ("TIFF 10 MB", tiff, ".tif"),
        ]:
            # Uploads above 2 MB reach the view as temporary files on disk.
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(content)
            measure(f"{name} — baseline (read)", baseline, path)
            elapsed, peak = measure(f"{name} — validation", validate, path)
            verdict = "within target" if elapsed < 0.3 and peak < 64 * MB else "ABOVE TARGET"
            print(f"{'':<34} target < 300 ms and < 64 MB extra: {verdict}\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
