"""Small sample files, valid and broken, built in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def bmp(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "BMP")
    return buffer.getvalue()


def tiff(pages=1, size=(50, 70)) -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("L", size, 128 + i) for i in range(pages)]
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def pdf(pages=1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="fichier.pdf", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def raw_pdf(
    catalog_extra: str = "", mediabox: str = "[0 0 595 842]", page_extra: str = ""
) -> bytes:
    """A one-page PDF written by hand (exact bytes, valid cross-reference
    table), for objects a PDF library would normalise away."""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox {mediabox} {page_extra} >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
