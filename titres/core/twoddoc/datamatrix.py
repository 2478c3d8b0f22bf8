"""The 2D-Doc as a DataMatrix (ECC 200) image, written and read with
zxing-cpp; no barcode code of our own.

    png = datamatrix.png(text)                  # bytes of a PNG
    datamatrix.draw(document, text, x, y, 30 * mm)  # on a titres.core.pdf.Document
    texts = datamatrix.read(pil_image)          # every DataMatrix found
"""

import io

import zxingcpp
from PIL import Image

# Pixels per module: a 2D-Doc of ~250 characters is a 48x48 symbol, so a
# 6-pixel module gives a ~300-pixel image, sharp at 30 mm once printed.
DEFAULT_SCALE = 6


def image(text: str, *, scale: int = DEFAULT_SCALE) -> Image.Image:
    """A black-on-white PIL image (mode "L") of the DataMatrix holding
    `text`, with its quiet zone."""
    barcode = zxingcpp.create_barcode(text.encode("ascii"), zxingcpp.BarcodeFormat.DataMatrix)
    bitmap = barcode.to_image(scale=scale, add_quiet_zones=True)
    view = memoryview(bitmap)
    height, width = view.shape[0], view.shape[1]
    return Image.frombytes("L", (width, height), view.tobytes())


def png(text: str, *, scale: int = DEFAULT_SCALE) -> bytes:
    buffer = io.BytesIO()
    image(text, scale=scale).save(buffer, format="PNG")
    return buffer.getvalue()


def draw(document, text: str, x: float, y: float, size: float) -> None:
    """Draw the DataMatrix of `text` on a titres.core.pdf.Document (or any
    object with a ReportLab `canvas`), lower left corner at (x, y), `size`
    points wide."""
    from reportlab.lib.utils import ImageReader

    document.canvas.drawImage(ImageReader(image(text)), x, y, size, size)


def read(picture: Image.Image) -> list[str]:
    """The texts of the DataMatrix codes found in a photo or a scan, as the
    raw characters they hold (GS/US as control characters)."""
    picture = picture.convert("L")
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.DataMatrix)
    return [bytes(code.bytes).decode("latin-1") for code in found if code.valid]
