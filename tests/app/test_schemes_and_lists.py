"""Dispositifs, Éligibilité and Listes importées on the fixture world (AppTest)."""

from __future__ import annotations

from core.domain.formatting import format_euros
from core.schemes.registry import load_registry
from tests.app.conftest import metric, open_page, table_with
from tests.upload_corpus import ods_bytes, xlsx_bytes

# A list in the real shapes users send: Windows-1252, ";", a BOM-less header with accents, an
# older commune code, coordinates with a decimal comma, and one row of each rejection reason.
LIST_CSV = (
    "Nom du lieu;Code INSEE;Longitude;Latitude;Montant\n"
    "La Fabrique d'Été;01001;;;150 000\n"  # accepted
    "Ancien code;01340;;;\n"  # accepted, remapped to 01015
    "Par coordonnées;;5,05;46,05;\n"  # accepted, commune from the point (01001)
    "Inversée;;46,05;5,05;\n"  # rejected: swapped
    "<img src=x onerror=alert(1)>;01002;;;-10\n"  # rejected: negative amount
    ";01002;;;\n"  # rejected: no name
    "La Fabrique d'Été;01001;;;150 000\n"  # rejected: duplicate
    "Inconnue;99999;;;\n"  # rejected: unknown code
).encode("cp1252")


def test_schemes_page_shows_the_three_schemes_side_by_side(marts):
    at = open_page("dispositifs")
    assert not at.exception, at.exception
    table = table_with(at, "critère")
    assert [c for c in table.columns if c != "critère"] == [s.nom for s in load_registry().values()]
    assert "20 000 € HT" in " ".join(table[load_registry()["departemental"].nom])


def test_schemes_page_footprint_follows_the_chosen_departement(marts, fabriques):
    at = open_page("dispositifs", {"dep_dispositif": "01"})
    assert not at.exception, at.exception
    footprints = [f.value for f in at.dataframe if "indicateur" in f.value.columns]
    departemental = footprints[1].set_index("indicateur")["valeur"]
    assert departemental["Fabriques de Territoire (toutes cohortes)"] == str((fabriques["insee_dep"] == "01").sum())


def _fill_form(at, spend: float):
    at.selectbox(key="elig_porteur").set_value("ess")
    at.multiselect(key="elig_services").set_value(["coworking", "fablab"])
    at.radio(key="elig_animation").set_value("Oui")
    at.multiselect(key="elig_cofinanceurs").set_value(["region"])
    at.number_input(key="elig_depense").set_value(spend)
    at.selectbox(key="elig_dep").set_value("01").run()
    at.selectbox(key="elig_commune").set_value("01001").run()
    return at


def test_eligibility_form_gives_a_verdict_per_scheme_with_its_rules(marts):
    at = open_page("eligibilite", {"dep_dispositif": "01"})
    assert not at.exception, at.exception
    _fill_form(at, 25_000)
    name = load_registry()["departemental"].nom
    assert any(s.value == f"**{name}** : Éligible" for s in at.success)
    _fill_form(at, 19_000)
    assert any(e.value == f"**{name}** : Non éligible" for e in at.error)
    rules = next(
        f.value for f in at.dataframe if "règle" in f.value.columns and "Dépense minimale" in set(f.value["règle"])
    )
    row = rules.set_index("règle").loc["Dépense minimale"]
    assert row["statut"] == "non respectée" and format_euros(19_000) in row["explication"]


def test_eligibility_file_of_projects(marts):
    at = open_page("eligibilite", {"dep_dispositif": "01"})
    body = (
        "nom;type_porteur;services;animation;cofinanceurs;depense_ht;insee_com\n"
        "A;Association;coworking, fab lab;oui;Région;25 000;01001\n"
        "B;Mairie;coworking;non;aucun;5000;1340\n"
        "C;Licorne;?;peut-être;;abc;\n"
    ).encode()
    at.file_uploader(key="elig_fichier").upload("projets.csv", body, "text/csv")
    at.run()
    assert not at.exception, at.exception
    verdicts = table_with(at, "verdict")
    assert len(verdicts) == 3 * len(load_registry())
    name = load_registry()["departemental"].nom
    by_project = verdicts[verdicts["dispositif"] == name].set_index("projet")["verdict"]
    assert by_project.to_dict() == {"A": "Éligible", "B": "Non éligible", "C": "Information manquante"}
    remarks = table_with(at, "remarques").set_index("projet")["remarques"]
    assert "ramené à 01015" in remarks["B"]
    assert "Licorne" in remarks["C"] and "peut-être" in remarks["C"]


def test_imported_list_rows_in_equal_accepted_plus_rejected_then_replace_the_fabriques(marts):
    at = open_page("listes_importees")
    at.file_uploader(key="liste_fichier").upload("laureats.csv", LIST_CSV, "text/csv")
    at.run()
    assert not at.exception, at.exception
    assert (metric(at, "Lignes lues"), metric(at, "Acceptées"), metric(at, "Rejetées")) == ("8", "3", "5")
    accepted = table_with(at, "remarques")
    assert accepted.set_index("nom").loc["Ancien code", "insee_com"] == "01015"
    assert accepted.set_index("nom").loc["Par coordonnées", "insee_com"] == "01001"
    rejected = table_with(at, "motif")
    reasons = " | ".join(rejected["motif"])
    for expected in ("permutées", "négatif", "nom du lieu manquant", "doublon de la ligne 2", "99999"):
        assert expected in reasons
    radio = next(r for r in at.radio if r.key.startswith("liste_mode_"))
    radio.set_value("remplace").run()
    at.switch_page("pages/vue_ensemble.py").run()
    assert not at.exception, at.exception
    assert metric(at, "Fabriques") == "3"
    assert any("Liste importée" in i.value for i in at.sidebar.info)
    # The reconciliation is the list's (its places have no cohort), not the Fabriques' kept one.
    reconciliation = table_with(at, "chiffre officiel").set_index("indicateur")
    assert reconciliation.loc["Fabriques labellisées en 2020-2021", "données ouvertes"] == "0"
    for page in ("carte", "quartiers_prioritaires", "territoires_ruraux", "fiche_territoire", "reseau_tiers_lieux"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)


def test_hostile_list_file_gets_a_clear_message(marts):
    at = open_page("listes_importees")
    at.file_uploader(key="liste_fichier").upload("liste.xlsx", b"nom;insee\nA;01001\n", "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    assert "n'est pas un classeur Excel" in at.error[0].value


def test_list_without_a_name_column_asks_for_the_mapping(marts):
    at = open_page("listes_importees")
    at.file_uploader(key="liste_fichier").upload("liste.csv", b"commune;montant\n01001;10\n", "text/csv")
    at.run()
    assert not at.exception, at.exception
    assert "Associez une colonne du fichier à : Nom du lieu" in at.error[0].value


def test_list_workbook_shows_the_sheet_and_header_found_and_both_can_be_changed(marts):
    """A notice on the first sheet, the list under a title on the second: both are found, both changeable."""
    data = xlsx_bytes(
        {
            "Notice": [["Lisez-moi"], ["Une ligne par lieu."]],
            "Lauréats": [
                ["Lauréats 2024"],
                ["Nom du lieu", "Code INSEE"],
                ["Premier", "01001"],
                ["Second", "99999"],
            ],
        }
    )
    at = open_page("listes_importees")
    at.file_uploader(key="liste_fichier").upload("laureats.xlsx", data, "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    sheet = next(s for s in at.selectbox if s.key.startswith("liste_feuille_"))
    header = next(n for n in at.number_input if n.key.startswith("liste_entete_"))
    assert (sheet.value, header.value) == ("Lauréats", 2)
    assert (metric(at, "Lignes lues"), metric(at, "Acceptées"), metric(at, "Rejetées")) == ("2", "1", "1")
    assert table_with(at, "motif")["ligne"].tolist() == [4]  # the spreadsheet's line
    header.set_value(3).run()  # the first place's line taken as the header: one row left, no name column
    assert not at.exception, at.exception
    assert "Associez une colonne du fichier à : Nom du lieu" in at.error[0].value
    sheet.set_value("Notice").run()
    assert not at.exception, at.exception
    assert any("Feuille « Notice » lue (choisie)" in c.value for c in at.caption)


def test_eligibility_reads_a_libreoffice_file_of_projects(marts):
    data = ods_bytes(
        {
            "Projets": [
                ["Appel à projets 2025 — projets reçus"],
                ["nom", "type_porteur", "depense_ht", "insee_com"],
                ["A", "Association", 25000, "01001"],
                ["B", "Mairie", 5000, "01340"],
            ]
        }
    )
    at = open_page("eligibilite", {"dep_dispositif": "01"})
    at.file_uploader(key="elig_fichier").upload("projets.ods", data, "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    assert next(n for n in at.number_input if n.key.startswith("elig_entete_")).value == 2
    verdicts = table_with(at, "verdict")
    assert set(verdicts["projet"]) == {"A", "B"}
    assert table_with(at, "remarques").set_index("projet").loc["B", "remarques"].startswith("insee_com : ancien code")
