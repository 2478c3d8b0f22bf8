import pytest

from titres.annuaire.directory_import import ImportRefused, import_directory_csv
from titres.annuaire.models import DirectoryEntry, ImportReport
from titres.core.models import AuditEvent

from .factories import DirectoryEntryFactory

pytestmark = pytest.mark.django_db

HEADER = "type;identifiant;nom;adresse;code_postal;commune;telephone;horaires;latitude;longitude\n"


def run(operator, lines, **kwargs):
    content = (HEADER + "".join(line + "\n" for line in lines)).encode("utf-8")
    return import_directory_csv(actor=operator, content=content, filename="lieux.csv", **kwargs)


def messages(report):
    return {line["line"]: line["message"] for line in report.lines if line["status"] == "refusée"}


def test_valid_lines_are_created_placed_and_reported(operator):
    report = run(
        operator,
        [
            "photographe;agr-1;Studio Ducale;8 place Ducale;08000;charleville-mezieres;0324331010;9:00–19:00;;",
            "cabine;AGR-2;Cabine gare;Place de la gare;08200;Sedan;;;49,70;4,94",
            "point_numerique;PN-1;France services;2 rue de l’Horloge;08200;Sedan;;;;",
        ],
    )
    assert (report.created_count, report.updated_count, report.rejected_count) == (3, 0, 0)
    assert [line["status"] for line in report.lines] == ["créée"] * 3
    studio = DirectoryEntry.objects.get(source_key="AGR-1")
    assert studio.commune == "Charleville-Mézières" and studio.insee_code == "08105"
    assert studio.phone == "03 24 33 10 10"
    assert studio.latitude == pytest.approx(49.77, abs=0.02)  # the commune's centre
    booth = DirectoryEntry.objects.get(source_key="AGR-2")
    assert (booth.latitude, booth.longitude) == (49.70, 4.94)  # given, decimal comma
    event = AuditEvent.objects.get(event="annuaire.directory_imported")
    assert event.actor_id == operator.pk
    assert event.data == {"created": 3, "updated": 0, "rejected": 0, "deactivated": 0}


def test_a_known_identifier_updates_the_place(operator):
    DirectoryEntryFactory(source_key="AGR-1", name="Ancien nom")
    report = run(
        operator, ["photographe;AGR-1;Nouveau nom;8 place Ducale;08000;Charleville-Mézières;;;;"]
    )
    assert (report.created_count, report.updated_count) == (0, 1)
    assert DirectoryEntry.objects.get(source_key="AGR-1").name == "Nouveau nom"


def test_each_refused_line_says_why_and_the_others_are_imported(operator):
    report = run(
        operator,
        [
            "garage;X-1;Nom;Adresse;08000;Charleville-Mézières;;;;",
            "photographe;X 2;Nom;Adresse;08000;Charleville-Mézières;;;;",
            "photographe;X-3;;Adresse;08000;Charleville-Mézières;;;;",
            "photographe;X-4;Nom;Adresse;8000;Charleville-Mézières;;;;",
            "photographe;X-5;Nom;Adresse;99999;Nulle-Part;;;;",
            "photographe;X-6;Nom;Adresse;08000;Sedan;;;;",
            "photographe;X-7;Nom;Adresse;08000;Charleville-Mézières;12;;;",
            "photographe;X-8;Nom;Adresse;08000;Charleville-Mézières;;;49.7;",
            "photographe;X-9;Nom;Adresse;08000;Charleville-Mézières;;;nord;4.7",
            "photographe;X-10;Nom;Adresse;08000;Charleville-Mézières;;;95;4.7",
            "photographe;OK-1;Nom;Adresse;08000;Charleville-Mézières;;;;",
            "cabine;ok-1;Nom;Adresse;08000;Charleville-Mézières;;;;",
            "photographe;X-11;Nom;;08000;Charleville-Mézières;;;;",
        ],
    )
    assert report.created_count == 1 and report.rejected_count == 12
    assert messages(report) == {
        2: "Type « garage » inconnu : photographe, cabine ou point_numerique.",
        3: "Identifiant « X 2 » invalide : 1 à 40 lettres, chiffres ou tirets.",
        4: "Le nom est obligatoire (200 caractères au plus).",
        5: "Le code postal doit comporter 5 chiffres.",
        6: "Le code postal 99999 n’existe pas.",
        7: (
            "La commune « Sedan » ne correspond pas au code postal 08000. Communes de ce "
            "code postal : Charleville-Mézières, La Francheville, Les Ayvelles, "
            "Prix-lès-Mézières, Villers-Semeuse, Warcq."
        ),
        8: "Téléphone « 12 » invalide.",
        9: "Donnez la latitude et la longitude, ou aucune des deux.",
        10: "La latitude « nord » n’est pas un nombre.",
        11: "La latitude doit être comprise entre -90 et 90.",
        13: "Identifiant OK-1 déjà présent ligne 12.",
        14: "L’adresse est obligatoire (250 caractères au plus).",
    }
    assert list(DirectoryEntry.objects.values_list("source_key", flat=True)) == ["OK-1"]


def test_the_whole_file_is_refused_when_it_cannot_be_read(operator):
    with pytest.raises(ImportRefused) as error:
        import_directory_csv(actor=operator, content=b"nom;adresse\nA;B\n", filename="x.csv")
    assert str(error.value) == (
        "Colonnes obligatoires absentes de la première ligne : type, identifiant, "
        "code_postal, commune."
    )
    with pytest.raises(ImportRefused) as error:
        import_directory_csv(
            actor=operator,
            content=HEADER.encode("latin-1") + "é".encode("latin-1"),
            filename="x.csv",
        )
    assert str(error.value) == "Le fichier doit être encodé en UTF-8."
    with pytest.raises(ImportRefused) as error:
        import_directory_csv(actor=operator, content=b"x" * (2 * 1024 * 1024 + 1), filename="x.csv")
    assert str(error.value) == "Le fichier dépasse 2 Mo : découpez-le en plusieurs imports."
    assert not ImportReport.objects.exists()
    assert not AuditEvent.objects.filter(event="annuaire.directory_imported").exists()


def test_too_many_lines_are_refused(operator, monkeypatch):
    from titres.annuaire import directory_import

    monkeypatch.setattr(directory_import, "MAX_LINES", 2)
    line = "photographe;A-{};Nom;Adresse;08000;Charleville-Mézières;;;;"
    with pytest.raises(ImportRefused) as error:
        run(operator, [line.format(n) for n in range(3)])
    assert str(error.value) == "Le fichier dépasse 2 lignes : découpez-le en plusieurs imports."


def test_replace_withdraws_the_places_of_the_same_kinds_the_file_no_longer_lists(operator):
    gone = DirectoryEntryFactory(source_key="GONE-1")
    other_kind = DirectoryEntryFactory(source_key="PN-9", kind="point_numerique")
    report = run(
        operator,
        ["photographe;KEEP-1;Nom;Adresse;08000;Charleville-Mézières;;;;"],
        replace=True,
    )
    assert report.deactivated_count == 1
    gone.refresh_from_db()
    other_kind.refresh_from_db()
    assert not gone.is_active and other_kind.is_active
