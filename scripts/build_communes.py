"""Build titres/permis/data/communes.csv.gz and departements.csv.

Source: the npm package `@etalab/decoupage-administratif` (data vintage 2026,
package 6.0.0), published by Etalab / data.gouv.fr. Its `data/communes.json`
joins INSEE's Code officiel géographique (COG) with La Poste's "Base
officielle des codes postaux" (the postal codes of each commune);
`data/departements.json` gives each département's chef-lieu (prefecture).

Licence of the data: Licence Ouverte / Open Licence (Etalab 2.0) — the
La Poste postal codes, formerly ODbL, are now published under the Licence
Ouverte; the package's code is MIT. Attribution: "Source : INSEE (COG),
La Poste (base officielle des codes postaux), via Etalab
decoupage-administratif".

No network is needed beyond the npm registry:
    mkdir -p /tmp/communes && cd /tmp/communes
    npm pack @etalab/decoupage-administratif@6.0.0
    tar xzf etalab-decoupage-administratif-6.0.0.tgz
    .venv/bin/python scripts/build_communes.py /tmp/communes/package/data

Output (sorted, so a rebuild from the same data is byte-identical):
    communes.csv.gz   code_postal,code_insee,nom,departement
                      one row per (postal code, current commune), including
                      the overseas collectivities that have postal codes
    departements.csv  code,nom,code_insee_prefecture,prefecture
                      the 101 départements (96 metropolitan + 5 overseas)
"""

import csv
import gzip
import io
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "titres" / "permis" / "data"


def build(source: Path, out: Path = OUT) -> tuple[int, int]:
    communes = json.loads((source / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads((source / "departements.json").read_text(encoding="utf-8"))
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}

    rows = set()
    for commune in current.values():
        for postal_code in commune.get("codesPostaux", []):
            rows.add((postal_code, commune["code"], commune["nom"], commune["departement"]))
    rows = sorted(rows)

    out.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code_postal", "code_insee", "nom", "departement"])
    writer.writerows(rows)
    # mtime=0 keeps the archive reproducible.
    with (
        open(out / "communes.csv.gz", "wb") as raw,
        gzip.GzipFile(filename="communes.csv", mode="wb", fileobj=raw, mtime=0) as gz,
    ):
        gz.write(buffer.getvalue().encode("utf-8"))

    dept_rows = []
    for dept in departements:
        if dept["zone"] not in {"metro", "drom"}:
            continue
        chef_lieu = current.get(dept["chefLieu"])
        if chef_lieu is None:
            raise SystemExit(f"chef-lieu introuvable pour {dept['code']}")
        dept_rows.append([dept["code"], dept["nom"], dept["chefLieu"], chef_lieu["nom"]])
    dept_rows.sort()
    with open(out / "departements.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "nom", "code_insee_prefecture", "prefecture"])
        writer.writerows(dept_rows)
    return len(rows), len(dept_rows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    n_communes, n_depts = build(Path(sys.argv[1]))
    print(f"{n_communes} couples (code postal, commune), {n_depts} départements → {OUT}")
