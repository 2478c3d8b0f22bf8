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
