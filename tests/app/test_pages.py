"""Every page on the fixture world: no exception, key figures, filters, the empty path."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import PAGES as DASHBOARD_PAGES
from tests.app.conftest import exported_tables, metric, open_page, show_chart_tables, summaries, table_with
from tests.fixture_world import files


def files_qpv_codes() -> list[str]:
    """The QPV codes of the fixture's perimeters file."""
    import json

    features = json.loads(files()["mafrance/qpv2024_simplified.geojson"][1])["features"]
    return [f["properties"]["code_qp"] for f in features]


# Every page of the navigation, by URL stem (a new page is tested without being listed here).
PAGES = [Path(path).stem for path, _, _ in DASHBOARD_PAGES]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_exception(marts, page):
    at = open_page(page)
    assert not at.exception, at.exception
    assert at.title[0].value
    assert len(at.sidebar.multiselect) >= 5  # the shared filters are drawn on every page
    path = "/" if page == "vue_ensemble" else f"/{page}"  # the default page lives at the root
    assert at.sidebar.code[0].value.startswith(path)  # the "Copier le lien" popover


def test_overview_key_figures_follow_the_cohort_filter(marts, fabriques):
    at = open_page()
    assert metric(at, "Fabriques") == str(len(fabriques))
    assert metric(at, "Départements couverts") == str(fabriques["insee_dep"].nunique())
    at.sidebar.multiselect(key="f_cohorts").set_value(["2023"]).run()
    expected = fabriques[fabriques["cohort"] == "2023"]
    assert metric(at, "Fabriques") == str(len(expected))
    assert metric(at, "Communes d'implantation") == str(expected["insee_com"].nunique())
    assert at.query_params["cohorte"] == "2023"
    # The reconciliation is national: the whole list's figures, whatever the filters.
    reconciliation = table_with(at, "chiffre officiel").set_index("indicateur")
    first = (fabriques["cohort"] == "2020-2021").sum()
    assert reconciliation.loc["Fabriques labellisées en 2020-2021", "données ouvertes"] == str(first) != "0"


def test_overview_rural_share_matches_an_independent_count(marts, fabriques):
    at = open_page(params={"rural": "rural"})
    assert metric(at, "Fabriques") == str(int(fabriques["rural_insee"].fillna(False).astype(bool).sum()))
    assert metric(at, "En commune rurale").startswith("100")


# Pages that analyse the selection stop on an empty one; the others do not depend on it and say so.
SELECTION_PAGES = {
    "vue_ensemble",
    "carte",
    "quartiers_prioritaires",
    "territoires_ruraux",
    "couverture_equite",
    "presentation",
    "reseau_tiers_lieux",
}


@pytest.mark.parametrize("page", PAGES)
def test_empty_selection_says_what_to_change_or_does_not_matter(marts, page):
    at = open_page(page)
    at.sidebar.multiselect(key="f_cohorts").set_value([]).run()
    assert not at.exception
    stopped = any("Aucune Fabrique ne correspond" in i.value for i in at.info)
    if page in SELECTION_PAGES:
        assert stopped
    elif page == "fiche_territoire":
        assert any("Aucune Fabrique de la sélection dans ce territoire" in i.value for i in at.info)
    else:
        assert not stopped and at.title[0].value


def test_qpv_page_counts_points_in_qpv(marts, fabriques):
    at = open_page("quartiers_prioritaires")
    inside = int(fabriques["dans_qpv"].sum())
    assert f"{inside} ont leur point dans un QPV" in summaries(at)[0]
    table = table_with(at, "lib_qp")
    assert set(table["code_qp"]) <= set(files_qpv_codes())


def test_qpv_distance_slider_changes_the_qpv_far_from_a_fabrique(marts):
    at = open_page("quartiers_prioritaires")
    near = len(table_with(at, "lib_qp"))
    at.slider(key="qpv_distance").set_value(10.0).run()
    far = len(table_with(at, "lib_qp"))
    assert far <= near
    assert at.query_params["distance"] == "10"


def test_map_page_places_located_fabriques(marts, fabriques):
    at = open_page("carte")
    located = int(fabriques["longitude"].notna().sum())
    assert f"{located} Fabriques placées sur la carte" in summaries(at)[0]
    at.sidebar.multiselect(key="f_departements").set_value(["01"]).run()
    assert not at.exception
    assert "Communes" in at.selectbox(key="map_level").options
    at.selectbox(key="map_level").set_value("communes").run()
    at.multiselect(key="map_layers").set_value(["pvd", "tiers_lieux_2019", "tampon_300"]).run()
    assert not at.exception
    assert at.query_params["echelle"] == "communes" and "tampon_300" in at.query_params["couches"]
    assert "3 territoires colorés" in summaries(at)[0]  # the fixture has 3 communes in 01


def test_coverage_page_counts_arrondissements_without_fabrique(marts):
    at = open_page("couverture_equite")
    # fixture: Quimper (fabt-302, 2023), Lannion and Avranches have no Fabrique of 2020-2021
    assert metric(at, "Sans Fabrique 2020-2021") == "3"
    assert metric(at, "Dont dotés d'une Fabrique en 2023") == "1"
    at = open_page("couverture_equite", {"dep": "01"})
    assert metric(at, "Sans Fabrique 2020-2021") == "0"  # Belley has fabt-1


def test_territory_sheet_reads_the_territory_from_the_link(marts, fabriques):
    at = open_page("fiche_territoire", {"territoire": "departements:01"})
    assert not at.exception
    assert metric(at, "Fabriques (sélection)") == str(int((fabriques["insee_dep"] == "01").sum()))
    assert metric(at, "Population") == "2\u202f200"  # 1000 + 500 + 700 in the fixture
    at = open_page("fiche_territoire", {"territoire": "departements:999"})
    assert any("territoire=departements:999" in w.value for w in at.sidebar.warning)


def test_link_with_invalid_parameters_opens_with_defaults_and_says_so(marts, fabriques):
    at = open_page(params={"cohorte": "2023", "dep": "999", "foo": "bar"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "dep=999" in warning and "foo" in warning
    assert metric(at, "Fabriques") == str(int((fabriques["cohort"] == "2023").sum()))


def test_filters_survive_a_page_switch(marts):
    at = open_page()
    at.sidebar.multiselect(key="f_cohorts").set_value(["2023"]).run()
    at.switch_page("pages/quartiers_prioritaires.py").run()
    assert at.sidebar.multiselect(key="f_cohorts").value == ["2023"]
    assert "Filtres : cohorte 2023" in at.caption[0].value


def test_missing_marts_say_which_command_rebuilds_them(tmp_path, monkeypatch):
    monkeypatch.setenv("FABT_MARTS_DIR", str(tmp_path / "nothing"))
    for page in (None, "carte", "donnees_methodes"):
        at = open_page(page)
        assert not at.exception
        assert "python -m etl build" in at.error[0].value


def test_territory_sheet_empty_selection_says_so(marts):
    at = open_page("fiche_territoire", {"territoire": "departements:01", "cohorte": "2023", "qpv": "aucune"})
    assert not at.exception
    assert any("Aucune Fabrique de la sélection dans ce territoire" in i.value for i in at.info)


def test_presentation_walks_through_slides_computed_from_the_data(marts, fabriques):
    at = open_page("presentation")
    titles = [at.title[0].value]
    assert f"{len(fabriques)} Fabriques" in at.markdown[0].value
    counter = next(m.value for m in at.markdown if "Diapositive" in m.value)
    total = int(counter.split("/")[1].split("<")[0])
    assert at.button(key="diapo_precedente").disabled
    for _ in range(total - 1):
        at.button(key="diapo_suivante").click().run()
        assert not at.exception
        titles.append(at.title[0].value)
    assert len(set(titles)) == total and at.button(key="diapo_suivante").disabled
    assert at.query_params["diapo"] == str(total)
    at.button(key="diapo_precedente").click().run()
    assert at.title[0].value == titles[-2]
    at.toggle(key="diapo_notes").set_value(True).run()
    note = at.text_area(key=f"diapo_note_{total - 2}")
    assert note.value  # the deck's own note, editable
    note.set_value("Dire le chiffre du Finistère").run()
    at.button(key="diapo_suivante").click().run()
    at.button(key="diapo_precedente").click().run()
    assert at.text_area(key=f"diapo_note_{total - 2}").value == "Dire le chiffre du Finistère"


def test_presentation_sentences_follow_the_filters(marts, fabriques):
    at = open_page("presentation", {"cohorte": "2023"})
    expected = int((fabriques["cohort"] == "2023").sum())
    assert at.markdown[0].value.startswith(f"- {expected} Fabriques")


# Région Sud has no EPCI in the fixture world, an imported list and the workspace start empty: tested apart;
# the accessibility statement and the legal notices are text.
NO_TABLE_AT_FIRST = (
    "presentation",
    "region_sud",
    "listes_importees",
    "mon_espace",
    "accessibilite",
    "mentions_legales",
)


@pytest.mark.parametrize("page", [p for p in PAGES if p not in NO_TABLE_AT_FIRST])
def test_every_table_offers_csv_and_excel_exports(marts, page):
    at = open_page(page)
    show_chart_tables(at)  # a chart's table is one of the page's tables, with its exports
    labels = [b.label for b in at.get("download_button")]
    tables = exported_tables(at)
    assert tables, "the page shows at least one table"
    for label in ("CSV (;)", "CSV (,)", "Excel"):
        assert labels.count(label) == tables, (label, labels)


def test_copied_link_holds_filters_and_page_parameters(marts):
    at = open_page("quartiers_prioritaires")
    at.sidebar.multiselect(key="f_cohorts").set_value(["2023"]).run()
    at.slider(key="qpv_distance").set_value(5.0).run()
    assert at.sidebar.code[0].value == "/quartiers_prioritaires?cohorte=2023&distance=5"


@pytest.mark.parametrize(
    ("page", "params", "widget", "default"),
    [
        ("territoires_ruraux", {"distance": "999"}, "rural_distance", 20),
        ("territoires_ruraux", {"distance": "17"}, "rural_distance", 20),  # not on the 5 km grid
        ("quartiers_prioritaires", {"distance": "abc"}, "qpv_distance", 2.0),
        ("quartiers_prioritaires", {"distance": "0.25"}, "qpv_distance", 2.0),
        ("region_sud", {"distance": "-5"}, "rs_distance", 20),
    ],
)
def test_out_of_range_page_parameters_are_ignored_and_reported(marts, page, params, widget, default):
    at = open_page(page, params)
    assert not at.exception
    assert at.slider(key=widget).value == default
    name, value = next(iter(params.items()))
    assert any(f"{name}={value}" in w.value for w in at.sidebar.warning), [w.value for w in at.sidebar.warning]
    assert name not in at.query_params  # the link now carries the value actually used (the default)


def test_valid_page_parameters_are_taken(marts):
    at = open_page("territoires_ruraux", {"distance": "35"})
    assert at.slider(key="rural_distance").value == 35 and not at.sidebar.warning
    at = open_page("carte", {"echelle": "regions", "indicateur": "population", "couches": "pvd,inconnue"})
    assert at.selectbox(key="map_level").value == "regions"
    assert at.multiselect(key="map_layers").value == ["pvd"]
    assert any("couches=inconnue" in w.value for w in at.sidebar.warning)


def test_exports_of_a_page_without_filters_never_carry_another_pages_filters(marts, monkeypatch):
    """The "À propos" sheet's filter text is what the page itself passes, not the previous page's."""
    import ui.exports

    made: list[str] = []
    real = ui.exports.ExportContext

    def recording(*args, **kwargs):
        context = real(*args, **kwargs)
        made.append(context.filters)
        return context

    monkeypatch.setattr(ui.exports, "ExportContext", recording)
    at = open_page(None, {"cohorte": "2023"})
    assert made and all("cohorte 2023" in text for text in made[:-1])  # the reconciliation is national
    made.clear()
    at.switch_page("pages/dispositifs.py").run()
    assert not at.exception and made
    assert not any("cohorte" in text for text in made)
    assert all(text.startswith("Sans filtre") for text in made)
