import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from titres.core import twoddoc

from .factories import cession_fields


def _run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = 0
    try:
        call_command("verify_2ddoc", *args, stdout=out)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_authentic_text_prints_the_named_fields():
    code, out = _run(twoddoc.visible(twoddoc.encode("A8", cession_fields())))
    assert code == 0
    assert out.startswith("authentique — Authentique : la signature est valide")
    assert "Type : A8 — Certificat de cession électronique" in out
    assert "  C6  Nom patronymique de l’acheteur : DUBOIS" in out
    assert "  C3  Date et heure de la cession : 30/11/2026 09:45" in out


def test_tampered_text_says_why_and_exits_1():
    text = twoddoc.encode("A8", cession_fields()).replace("C6DUBOIS", "C6DUBOIT")
    code, out = _run(text)
    assert code == 1
    assert out.startswith("signature_invalide — Signature invalide")
    assert "DUBOIT" not in out


def test_file_stdin_and_image(tmp_path, monkeypatch):
    text = twoddoc.encode("A8", cession_fields())
    path = tmp_path / "code.txt"
    path.write_text(twoddoc.visible(text) + "\n")
    assert _run("--file", str(path))[0] == 0
    assert _run("-", stdin=text, monkeypatch=monkeypatch)[0] == 0
    image = tmp_path / "code.png"
    image.write_bytes(twoddoc.datamatrix.png(text))
    code, out = _run("--image", str(image))
    assert code == 0 and "authentique" in out


def test_nothing_or_two_inputs_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Donnez un texte, --file ou --image"):
        call_command("verify_2ddoc")
    with pytest.raises(CommandError, match="Donnez un texte, --file ou --image"):
        call_command("verify_2ddoc", "DC04", file=str(tmp_path / "x"))
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (100, 100), 255).save(blank)
    with pytest.raises(CommandError, match="Aucun code DataMatrix trouvé"):
        call_command("verify_2ddoc", image=str(blank))
