"""The local stand-in for the photographers' e-photo service: the real
service answers a code with the person's photo and signature images; here,
a photo-signature registered without images (demo data, the operators'
admin, tests) gets a specimen pair, clearly marked "SPÉCIMEN", so that the
agent's file shows an image where the real one will be. Deterministic for
a given code (the same code always draws the same signature)."""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

PHOTO_SIZE = (350, 450)  # 35 × 45 mm at 10 px/mm, the ID photo ratio
SIGNATURE_SIZE = (400, 120)


def _font(size: int):
    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def specimen_photo(code: str) -> bytes:
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, (226, 232, 240))
    draw = ImageDraw.Draw(image)
    # Head and shoulders, centred like a conforming ID photo.
    draw.ellipse((width * 0.30, height * 0.16, width * 0.70, height * 0.62), fill=(146, 146, 160))
    draw.pieslice(
        (width * 0.08, height * 0.62, width * 0.92, height * 1.25), 180, 360, fill=(110, 110, 128)
    )
    draw.rectangle((0, height * 0.82, width, height * 0.92), fill=(255, 255, 255))
    draw.text((width / 2, height * 0.87), "SPÉCIMEN", fill=(206, 5, 0), font=_font(34), anchor="mm")
    draw.text((width / 2, height * 0.96), code, fill=(22, 22, 22), font=_font(16), anchor="mm")
    return _png(image)


def specimen_signature(code: str) -> bytes:
    width, height = SIGNATURE_SIZE
    image = Image.new("RGB", SIGNATURE_SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    rng = random.Random(code)
    points = []
    x = 20.0
    while x < width - 90:
        points.append((x, height / 2 + rng.uniform(-30, 30)))
        x += rng.uniform(12, 26)
    draw.line(points, fill=(0, 0, 145), width=3, joint="curve")
    draw.text((width - 10, height - 8), "SPÉCIMEN", fill=(206, 5, 0), font=_font(14), anchor="rs")
    return _png(image)


def attach_specimens(photo) -> None:
    """Give `photo` (an unsaved or saved EPhoto with a code) the specimen
    images it lacks."""
    if not photo.image:
        photo.image.save(
            f"{photo.code}-photo.png", ContentFile(specimen_photo(photo.code)), save=False
        )
    if not photo.signature:
        photo.signature.save(
            f"{photo.code}-signature.png", ContentFile(specimen_signature(photo.code)), save=False
        )
