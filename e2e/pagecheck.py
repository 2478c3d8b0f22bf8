"""Page checks that look at a page as a person does, run by `check_a11y`
beside axe-core (see e2e/pagecheck.js): visible text clipped, raw enum codes
shown where a label is expected, a heading twice in a row, horizontal scroll
(at the current width and at 375 px). Also saves the screenshots that
`make e2e` leaves under var/screenshots/ (desktop 1280 px, mobile 375 px)."""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import re
import shutil
from pathlib import Path

MOBILE = {"width": 375, "height": 812}
SCRIPT = (Path(__file__).parent / "pagecheck.js").read_text(encoding="utf-8")
SCREENSHOTS_DIR = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def _iter_choices_classes():
    from django.db import models

    import titres

    for module in pkgutil.walk_packages(titres.__path__, "titres."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)
    stack = [models.Choices]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("titres."):
            yield cls


def _module_choice_lists():
    """`*_CHOICES` lists of the project's modules (form choices that are not
    a Choices class, e.g. the licence motifs)."""
    import sys

    for name, module in list(sys.modules.items()):
        if not name.startswith("titres.") or module is None:
            continue
        for attr, value in vars(module).items():
            if attr.endswith("_CHOICES") and isinstance(value, list | tuple):
                yield from (item for item in value if isinstance(item, tuple) and len(item) == 2)


@functools.cache
def raw_codes() -> tuple[str, ...]:
    """Every code of every choices class of the project that a person must
    never read as such. Codes that read as their own label (a licence
    category "B", a sex "M" as seed 003 prints it), numbers, and codes that
    are another choice's label are left out."""
    pairs = []
    for cls in _iter_choices_classes():
        pairs.extend(cls.choices)
    pairs.extend(_module_choice_lists())
    labels = {str(label) for _code, label in pairs}
    codes = set()
    for code, label in pairs:
        if not isinstance(code, str) or len(code) < 3 or code.isdigit():
            continue
        if code == str(label) or code in labels:
            continue
        codes.add(code)
    return tuple(sorted(codes))


def problems(page) -> list[str]:
    return page.evaluate(SCRIPT, list(raw_codes()))


def screenshots_enabled() -> bool:
    return os.environ.get("E2E_SCREENSHOTS", "1") not in {"0", "", "false", "no"}


def screenshot_path(test_name: str, index: int, url: str, variant: str) -> Path:
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].strip("/") or "accueil"
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", path).strip("-")[:60]
    name = re.sub(r"[^a-zA-Z0-9_]+", "-", test_name)[:80]
    return SCREENSHOTS_DIR / name / f"{index:02d}-{slug}-{variant}.png"


def check_page(page, *, test_name: str, index: int) -> list[str]:
    """Run the checks at the page's own width, then again at 375 px (taking
    both screenshots on the way); the viewport is put back afterwards."""
    found = [f"[{page.viewport_size['width']} px] {p}" for p in problems(page)]
    shots = screenshots_enabled()
    if shots:
        target = screenshot_path(test_name, index, page.url, "desktop")
        if index == 1 and target.parent.exists():
            shutil.rmtree(target.parent)  # this test's screenshots of an earlier run
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=True)
    size = page.viewport_size
    page.set_viewport_size(MOBILE)
    try:
        # One frame for the layout to settle at the new width.
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
        found += [f"[375 px] {p}" for p in problems(page)]
        if shots:
            page.screenshot(
                path=str(screenshot_path(test_name, index, page.url, "mobile")), full_page=True
            )
    finally:
        page.set_viewport_size(size)
    return found


CELLS_CUT = """(selector) => {
  const cut = [];
  const table = document.querySelector(selector);
  if (!table) return [`aucun tableau ${selector}`];
  for (const cell of table.querySelectorAll("tbody td, tbody th")) {
    const rect = cell.getBoundingClientRect();
    if (rect.width === 0) continue;
    // The box the cell shows through: the nearest ancestor that scrolls or
    // clips horizontally (DSFR's .fr-table__container), else the window.
    let right = window.innerWidth, left = 0;
    for (let p = cell.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") {
        const box = p.getBoundingClientRect();
        right = Math.min(box.right, right);
        left = Math.max(box.left, left);
        break;
      }
    }
    const text = (cell.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 40);
    if (rect.right > right + 1 || rect.left < left - 1) {
      cut.push(`cellule hors de la zone visible : « ${text} » (${Math.round(rect.left)}–${Math.round(rect.right)} px, zone ${Math.round(left)}–${Math.round(right)} px)`);
    } else if (cell.scrollWidth > cell.clientWidth + 1) {
      cut.push(`texte de cellule coupé : « ${text} » (${cell.scrollWidth} px dans ${cell.clientWidth} px)`);
    }
  }
  return cut;
}"""


def cells_cut(page, selector: str) -> list[str]:
    """The body cells of the table `selector` that a person cannot read
    whole at the current width: outside the box they show through (a
    horizontal scroll box hides them until scrolled: at 375 px a wide
    table shows its first columns only) or with their text overflowing."""
    return page.evaluate(CELLS_CUT, selector)
