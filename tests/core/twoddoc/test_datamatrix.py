import io

import pypdfium2
from PIL import Image, ImageFilter
from reportlab.lib.units import mm

from titres.core import twoddoc
from titres.core.pdf import Document

from .factories import cession_fields, cpi_fields


def test_png_write_then_read_gives_the_same_text():
    text = twoddoc.encode("A8", cession_fields())
    png = twoddoc.datamatrix.png(text)
    assert png.startswith(b"\x89PNG")
    picture = Image.open(io.BytesIO(png))
    assert picture.width == picture.height  # a square ECC 200 symbol
    assert twoddoc.datamatrix.read(picture) == [text]
    assert twoddoc.verify(twoddoc.datamatrix.read(picture)[0]).authentic


def test_a_rotated_blurred_photo_is_still_read():
    text = twoddoc.encode("Z1", cpi_fields())
    picture = twoddoc.datamatrix.image(text, scale=4).convert("RGB")
    canvas = Image.new("RGB", (picture.width * 2, picture.height * 2), "white")
    canvas.paste(picture, (picture.width // 2, picture.height // 3))
    photo = canvas.rotate(12, expand=True, fillcolor="white").filter(ImageFilter.GaussianBlur(1))
    assert twoddoc.datamatrix.read(photo) == [text]


def test_no_datamatrix_in_a_blank_image():
    assert twoddoc.datamatrix.read(Image.new("L", (200, 200), 255)) == []


def test_drawn_on_a_pdf_then_read_from_the_rendered_page():
    text = twoddoc.encode("A8", cession_fields())
    document = Document("Certificat de cession")
    document.letterhead(20 * mm, 280 * mm)
    twoddoc.datamatrix.draw(document, text, 20 * mm, 200 * mm, 35 * mm)
    pdf = document.bytes()
    page = pypdfium2.PdfDocument(pdf)[0]
    rendered = page.render(scale=200 / 72).to_pil()
    assert twoddoc.datamatrix.read(rendered) == [text]
