"""Verify a 2D-Doc from the command line: the decoded text (argument,
file or standard input) or an image of the code.

    manage.py verify_2ddoc 'DC04FR00TD01...<GS>...<US>SIGNATURE'
    manage.py verify_2ddoc --file code.txt
    manage.py verify_2ddoc --image photo.jpg
    some-reader | manage.py verify_2ddoc -

Prints "authentique" or why not, then the fields with their names. Exit
status: 0 authentic, 1 otherwise (expired included), 2 nothing to read.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from PIL import Image, UnidentifiedImageError

from titres.core.twoddoc import datamatrix, verify
from titres.core.twoddoc.forms import MAX_PIXELS


class Command(BaseCommand):
    help = "Vérifie un 2D-Doc (texte décodé ou image du code) et affiche ses données."

    def add_arguments(self, parser):
        parser.add_argument(
            "text", nargs="?", help="Texte du 2D-Doc, ou « - » pour l’entrée standard"
        )
        parser.add_argument("--file", help="Fichier texte contenant le 2D-Doc")
        parser.add_argument("--image", help="Photo ou scan du code (PNG, JPEG, WebP)")

    def _read(self, options) -> str:
        given = [name for name in ("text", "file", "image") if options.get(name)]
        if len(given) != 1:
            raise CommandError("Donnez un texte, --file ou --image (un seul).", returncode=2)
        if options.get("image"):
            try:
                picture = Image.open(options["image"])
                if picture.width * picture.height > MAX_PIXELS:
                    raise CommandError("Image de plus de 16 millions de pixels.", returncode=2)
                found = datamatrix.read(picture)
            except (OSError, UnidentifiedImageError) as exc:
                raise CommandError(f"Image illisible : {exc}", returncode=2)
            if not found:
                raise CommandError("Aucun code DataMatrix trouvé sur l’image.", returncode=2)
            return next((t for t in found if t.startswith("DC")), found[0])
        if options.get("file"):
            return Path(options["file"]).read_text(encoding="utf-8")
        if options["text"] == "-":
            return sys.stdin.read()
        return options["text"]

    def handle(self, *args, **options):
        result = verify(self._read(options))
        style = self.style.SUCCESS if result.authentic else self.style.ERROR
        self.stdout.write(style(f"{result.status.value} — {result.message}"))
        if result.detail:
            self.stdout.write(f"Détail : {result.detail}")
        if result.header:
            head = result.header
            kind = f" — {result.doc_type.name}" if result.doc_type else ""
            self.stdout.write(f"Type : {head.doc_type}{kind}")
            self.stdout.write(f"Autorité : {head.ca_id}, certificat : {head.cert_id}")
        if result.signature_valid:
            for field in result.fields:
                self.stdout.write(f"  {field.ident}  {field.name} : {field.display}")
        if not result.authentic:
            sys.exit(1)
