"""Drawing helpers shared by the vehicle PDFs."""

from reportlab.lib.units import mm

from titres.core import twoddoc

LEFT = 20 * mm
LINE = 5.2 * mm


class Writer:
    """Writes labelled lines down an A4 page of titres.core.pdf.Document."""

    def __init__(self, document, top: float):
        self.doc = document
        self.canvas = document.canvas
        self.y = top

    def title(self, text: str, size: int = 15) -> None:
        self.canvas.setFont("Helvetica-Bold", size)
        self.canvas.drawString(LEFT, self.y, text)
        self.y -= LINE * 1.6

    def section(self, text: str) -> None:
        self.y -= LINE * 0.4
        self.canvas.setFont("Helvetica-Bold", 11)
        self.canvas.drawString(LEFT, self.y, text)
        self.canvas.line(LEFT, self.y - 1.5 * mm, self.doc.width - LEFT, self.y - 1.5 * mm)
        self.y -= LINE * 1.3

    def row(self, label: str, value) -> None:
        self.canvas.setFont("Helvetica", 9)
        self.canvas.drawString(LEFT, self.y, str(label))
        self.canvas.setFont("Helvetica-Bold", 9)
        self.canvas.drawString(
            LEFT + 62 * mm, self.y, str(value if value not in (None, "") else "—")[:80]
        )
        self.y -= LINE

    def text(self, value: str, size: int = 8) -> None:
        self.canvas.setFont("Helvetica", size)
        for line in _wrap(value, 110 if size <= 8 else 95):
            self.canvas.drawString(LEFT, self.y, line)
            self.y -= size * 0.45 * mm + 2.2 * mm

    def twoddoc(self, text: str, *, size: float = 32 * mm) -> None:
        """The 2D-Doc top right, with its caption."""
        x = self.doc.width - LEFT - size
        y = self.doc.height - 18 * mm - size
        twoddoc.datamatrix.draw(self.doc, text, x, y, size)
        self.canvas.setFont("Helvetica", 6)
        self.canvas.drawString(x, y - 3 * mm, "2D-Doc signé — vérifiable hors ligne")


def _wrap(text: str, width: int) -> list[str]:
    words, lines, current = str(text).split(), [], ""
    for word in words:
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


def first_given_name(first_names: str) -> str:
    return (first_names or "").replace(",", " ").split(" ")[0][:20]
