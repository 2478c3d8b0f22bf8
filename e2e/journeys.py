"""Steps the browser journeys share: a sample PDF, the engine's upload
widget, and screenshots at the two widths every screen is looked at."""

import os
from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(
    os.environ.get("E2E_SHOTS_DIR")
    or Path(__file__).resolve().parent.parent / "var" / "screenshots"
)
WIDTHS = (1280, 375)


def screenshots(page, name, directory: Path = SHOTS):
    """Full-page captures at 1280 and 375 px (`<name>-<width>.png`), the
    viewport put back as it was for the rest of the journey."""
    directory.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(directory / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def sample_pdf(tmp_path, name, pages=1) -> Path:
    from tests.procedures import samples

    path = tmp_path / name
    path.write_bytes(samples.pdf(pages))
    return path


def upload(page, label, path):
    """Attach a file to the supporting document `label` and wait until the
    engine lists it."""
    page.get_by_label(f"Joindre un fichier — {label}").set_input_files(str(path))
    page.get_by_role("button", name=f"Envoyer le fichier — {label}").click()
    expect(page.locator("li", has_text=path.name)).to_be_visible()
