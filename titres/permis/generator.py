"""Deterministic generator of SNPC files with realistic French civil status.

Used by the demo loader (a few hundred files) and by the scale benchmark
(a million): the same `seed` and `start` always give the same people, and
`bulk_generate` writes them with bulk_create in batches.

NEPH uniqueness: the 7-digit sequence part is `start + index`, so two runs
with disjoint [start, start + count) ranges never collide. The demo keeps
sequences from 9_000_000 upwards for its hand-written people."""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from .enums import HEAVY_CATEGORIES, LicenceState, TitleStatus
from .identifiers import make_neph

SURNAMES = (
    (
        "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL "
        "LEFÈVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE "
        "ROUSSEAU VINCENT MÜLLER LEFEBVRE FAURE ANDRÉ MERCIER BLANC GUÉRIN BOYER GARNIER CHEVALIER "
        "FRANÇOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLÉMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU "
        "GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOËL MEYER DUFOUR MEUNIER BRUN "
        "BLANCHARD GIRAUD JOLY RIVIÈRE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GÉRARD ROCHE "
        "RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD "
        "DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOÎT REY LECLERC PAYET ROLLAND LECLERCQ "
        "GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN "
        "LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER "
        "MARTY AUBRY GUYOT CARRÉ CHARLES RENAULT CHARPENTIER MÉNARD MAILLARD BARON BERTIN BAILLY "
        "HERVÉ SCHNEIDER FERNANDEZ LE_GALL COLLET LÉGER BOUVIER JULIEN PRÉVOST MILLET PERROT "
        "DANIEL LE_ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS RÉMY LE_GOFF PELLETIER LÉVÊQUE "
        "PERRIER LEBLANC BARRÉ LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD "
        "RODRIGUEZ GUICHARD GILLET ÉTIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN "
        "DA_SILVA BOUCHET GAY LEMAÎTRE BENARD MARÉCHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET "
        "BARTHÉLÉMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE "
        "D'ALMEIDA DE_LA_FONTAINE N'DIAYE OGER MENARD"
    )
    .replace("_", " ")
    .split()
)

FIRST_NAMES_F = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Martine",
    "Christine",
    "Françoise",
    "Valérie",
    "Sandrine",
    "Stéphanie",
    "Véronique",
    "Sophie",
    "Céline",
    "Chantal",
    "Patricia",
    "Anne",
    "Brigitte",
    "Julie",
    "Monique",
    "Aurélie",
    "Nicole",
    "Laurence",
    "Émilie",
    "Annie",
    "Jacqueline",
    "Caroline",
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Jade",
    "Louise",
    "Alice",
    "Lina",
    "Zoé",
    "Hélène",
    "Agnès",
    "Claire",
    "Élodie",
    "Mélanie",
    "Virginie",
    "Audrey",
    "Laetitia",
    "Marie-Claire",
    "Anne-Sophie",
    "Marie-Thérèse",
    "Josiane",
    "Danielle",
    "Odile",
    "Geneviève",
    "Maëlle",
    "Océane",
    "Clémence",
    "Margaux",
    "Pauline",
    "Justine",
    "Noémie",
    "Anaïs",
    "Maëva",
    "Yasmine",
    "Fatima",
    "Amandine",
]

FIRST_NAMES_M = [
    "Jean",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "René",
    "Louis",
    "Alain",
    "Jacques",
    "Bernard",
    "Marcel",
    "Daniel",
    "Roger",
    "Robert",
    "Paul",
    "Claude",
    "Christian",
    "Henri",
    "Georges",
    "Nicolas",
    "François",
    "Patrick",
    "Éric",
    "Frédéric",
    "Laurent",
    "Stéphane",
    "David",
    "Olivier",
    "Sébastien",
    "Thierry",
    "Julien",
    "Christophe",
    "Pascal",
    "Vincent",
    "Thomas",
    "Lucas",
    "Hugo",
    "Léo",
    "Gabriel",
    "Raphaël",
    "Arthur",
    "Louis",
    "Nathan",
    "Jules",
    "Adam",
    "Maël",
    "Noé",
    "Théo",
    "Mathis",
    "Jean-Pierre",
    "Jean-Claude",
    "Jean-Luc",
    "Jean-François",
    "Jean-Marc",
    "Pierre-Yves",
    "Jean-Baptiste",
    "Benoît",
    "Jérôme",
    "Grégoire",
    "Hervé",
    "Gaël",
    "Loïc",
    "Yannick",
    "Mohamed",
    "Karim",
    "Antoine",
    "Étienne",
    "Cédric",
    "Maxime",
    "Romain",
    "Guillaume",
    "Arnaud",
    "Raoul",
    "Joël",
]

# (commune, département) of birth, weighted towards large towns.
BIRTH_PLACES = (
    ("Paris", "75"),
    ("Paris", "75"),
    ("Paris", "75"),
    ("Marseille", "13"),
    ("Marseille", "13"),
    ("Lyon", "69"),
    ("Lyon", "69"),
    ("Toulouse", "31"),
    ("Nice", "06"),
    ("Nantes", "44"),
    ("Strasbourg", "67"),
    ("Montpellier", "34"),
    ("Bordeaux", "33"),
    ("Lille", "59"),
    ("Rennes", "35"),
    ("Reims", "51"),
    ("Saint-Étienne", "42"),
    ("Le Havre", "76"),
    ("Toulon", "83"),
    ("Grenoble", "38"),
    ("Dijon", "21"),
    ("Angers", "49"),
    ("Nîmes", "30"),
    ("Villeurbanne", "69"),
    ("Clermont-Ferrand", "63"),
    ("Le Mans", "72"),
    ("Aix-en-Provence", "13"),
    ("Brest", "29"),
    ("Tours", "37"),
    ("Amiens", "80"),
    ("Limoges", "87"),
    ("Metz", "57"),
    ("Besançon", "25"),
    ("Perpignan", "66"),
    ("Orléans", "45"),
    ("Rouen", "76"),
    ("Caen", "14"),
    ("Mulhouse", "68"),
    ("Nancy", "54"),
    ("Argenteuil", "95"),
    ("Saint-Denis", "93"),
    ("Montreuil", "93"),
    ("Créteil", "94"),
    ("Versailles", "78"),
    ("Poitiers", "86"),
    ("Pau", "64"),
    ("Bayonne", "64"),
    ("La Rochelle", "17"),
    ("Ajaccio", "2A"),
    ("Bastia", "2B"),
    ("Quimper", "29"),
    ("Vannes", "56"),
    ("Chambéry", "73"),
    ("Annecy", "74"),
    ("Troyes", "10"),
    ("Saint-Denis", "974"),
    ("Fort-de-France", "972"),
    ("Pointe-à-Pitre", "971"),
    ("Cayenne", "973"),
    ("Évreux", "27"),
    ("Bourges", "18"),
    ("Auxerre", "89"),
    ("Laval", "53"),
)
BIRTH_COUNTRIES = (
    "Maroc",
    "Algérie",
    "Portugal",
    "Tunisie",
    "Italie",
    "Espagne",
    "Belgique",
    "Allemagne",
    "Sénégal",
    "Turquie",
    "Royaume-Uni",
    "Viêt Nam",
)


@dataclass
class GeneratedPerson:
    record: dict
    categories: list[dict] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def _title_number(index: int, issued_on: date) -> str:
    # Letters from the high end ("Z*") so generated cards never collide with
    # cards numbered by services.next_title_number, which counts up from "AA".
    block, digits = divmod(index, 100000)
    first, second = divmod(block % 676, 26)
    return f"{issued_on.year % 100:02d}{chr(90 - first)}{chr(90 - second)}{digits:05d}"


def generate_people(
    count: int, *, seed: int = 2016, start: int = 0, today: date | None = None
) -> Iterator[GeneratedPerson]:
    """`count` people with a licence, deterministic for (seed, start)."""
    today = today or date(2026, 1, 1)
    for index in range(start, start + count):
        rng = random.Random(f"{seed}:{index}")
        sex = rng.choice("FM")
        names_pool = FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M
        first_names = rng.sample(names_pool, k=rng.choices((1, 2, 3), (35, 45, 20))[0])
        birth_name = rng.choice(SURNAMES)
        usage_name = ""
        if sex == "F" and rng.random() < 0.35:
            usage_name = rng.choice(SURNAMES)
        birth_date = _random_date(rng, date(1940, 1, 1), _add_years(today, -18))
        if rng.random() < 0.07:
            birth_commune, birth_dept, birth_country = (
                rng.choice(("Casablanca", "Alger", "Lisbonne", "Tunis", "Rome", "Bruxelles")),
                "",
                rng.choice(BIRTH_COUNTRIES),
            )
        else:
            (birth_commune, birth_dept), birth_country = rng.choice(BIRTH_PLACES), ""
        # Licence B at 18-30, file opened then.
        b_date = _random_date(
            rng, _add_years(birth_date, 18), min(_add_years(birth_date, 30), today)
        )
        neph = make_neph(
            year=b_date.year, departement=birth_dept or "75", sequence=index % 10_000_000
        )
        roll = rng.random()
        state = (
            LicenceState.SUSPENDU
            if roll < 0.01
            else LicenceState.ANNULE
            if roll < 0.015
            else LicenceState.INVALIDE
            if roll < 0.02
            else LicenceState.VALIDE
        )
        young = (today - b_date).days < 3 * 365
        points = (
            0
            if state == LicenceState.INVALIDE
            else rng.choice((6, 8, 10, 12) if young else (12,) * 8 + (11, 10, 9, 8, 6, 4))
        )
        record = {
            "neph": neph,
            "birth_name": birth_name,
            "usage_name": usage_name,
            "first_names": ", ".join(first_names),
            "sex": sex,
            "birth_date": birth_date,
            "birth_commune": birth_commune,
            "birth_departement": birth_dept,
            "birth_country": birth_country,
            "state": state,
            "state_since": _random_date(rng, b_date, today) if state != "valide" else None,
            "points_balance": points,
        }
        if state == LicenceState.SUSPENDU:
            record["suspension_end"] = today + timedelta(days=rng.randrange(30, 180))
        categories = [{"category": "B", "obtained_on": b_date, "valid_until": None}]
        if rng.random() < 0.15:
            categories.append(
                {"category": "AM", "obtained_on": _add_years(birth_date, 14), "valid_until": None}
            )
        if rng.random() < 0.12:
            categories.append(
                {
                    "category": "A2",
                    "obtained_on": _random_date(rng, b_date, today),
                    "valid_until": None,
                }
            )
        if rng.random() < 0.08:
            categories.append(
                {
                    "category": "BE",
                    "obtained_on": _random_date(rng, b_date, today),
                    "valid_until": None,
                }
            )
        if rng.random() < 0.04:
            for heavy in rng.choice((("C1",), ("C",), ("C", "CE"), ("D",))):
                obtained = _random_date(rng, b_date, today)
                categories.append(
                    {
                        "category": heavy,
                        "obtained_on": obtained,
                        "valid_until": _add_years(max(obtained, _add_years(today, -4)), 5)
                        if heavy in HEAVY_CATEGORIES
                        else None,
                    }
                )
        # Cards: the 2013+ format is valid 15 years; older ones were replaced.
        issued = max(b_date, date(2013, 9, 16)) if rng.random() < 0.6 else b_date
        titles = []
        if issued < date(2013, 9, 16) and rng.random() < 0.5:
            titles.append(
                {
                    "number": _title_number(index * 2, issued),
                    "issued_on": issued,
                    "status": rng.choice(
                        (TitleStatus.PERDU, TitleStatus.VOLE, TitleStatus.REMPLACE)
                    ),
                }
            )
            issued = _random_date(rng, date(2013, 9, 16), today)
        titles.append(
            {
                "number": _title_number(index * 2 + 1, issued),
                "issued_on": issued,
                "status": TitleStatus.VALIDE,
            }
        )
        yield GeneratedPerson(record, categories, titles)


def bulk_generate(
    count: int, *, seed: int = 2016, start: int = 0, batch_size: int = 5000, today=None
) -> int:
    """Write `count` generated files with their categories and cards."""
    from .models import LicenceCategory, LicenceRecord, LicenceTitle, add_years

    written = 0
    people = generate_people(count, seed=seed, start=start, today=today)
    while True:
        batch = [person for _, person in zip(range(batch_size), people, strict=False)]
        if not batch:
            return written
        records = []
        for person in batch:
            record = LicenceRecord(**person.record)
            record.normalise()
            records.append(record)
        LicenceRecord.objects.bulk_create(records)
        if records and records[0].pk is None:
            # Databases that do not return keys from bulk inserts.
            by_neph = dict(
                LicenceRecord.objects.filter(neph__in=[r.neph for r in records]).values_list(
                    "neph", "pk"
                )
            )
            for record in records:
                record.pk = by_neph[record.neph]
        LicenceCategory.objects.bulk_create(
            LicenceCategory(record=record, **category)
            for record, person in zip(records, batch, strict=True)
            for category in person.categories
        )
        LicenceTitle.objects.bulk_create(
            LicenceTitle(
                record=record,
                valid_until=add_years(title["issued_on"], 15),
                **title,
            )
            for record, person in zip(records, batch, strict=True)
            for title in person.titles
        )
        written += len(batch)
