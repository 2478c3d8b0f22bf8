"""Fill English translations of an app's .po file from a JSON mapping.

Usage: python scripts/po_fill.py titres/<app> mapping.json
The mapping is {"French msgid": "English msgstr"}; for plural entries give
a list [singular, plural]. Prints the msgids still untranslated."""

import json
import sys
from pathlib import Path

import polib


def main(app_dir: str, mapping_file: str | None = None) -> int:
    path = Path(app_dir) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    mapping = json.loads(Path(mapping_file).read_text()) if mapping_file else {}
    for entry in po:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
