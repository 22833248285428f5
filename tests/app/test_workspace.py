"""The workspace in the app: what is saved where the work is made reopens by its link in a new session
with the same figures; conflicts are said, never silent; a database that cannot be opened leaves the
analysis pages working."""

from __future__ import annotations

import json

import pytest

from core.settings import get_setting
from core.workspace.store import open_store
from tests.app.conftest import metric, open_page, summaries, table_with
from tests.app.test_region_sud import allocation_amounts, sud_marts  # noqa: F401  (the fixture)
from ui.workspace import LOCAL_USER

LIST_CSV = (
    b"Nom du lieu;Code INSEE;Montant;Contact;Mail\n"
    b"Lieu Alpha;01001;150 000;Jeanne Martin;jeanne@example.org\n"
    b"Lieu Delta;01340;;Paul Durand;paul@example.org\n"
    b"Lieu Brest;29001;80 000;;\n"
    b"Sans code;;;;\n"
)


def saved_link(at, key: str) -> str:
    """The item id shown after a save in the popover ``key``."""
    assert any("Enregistré" in s.value for s in at.success), [e.value for e in at.error]
    return next(c.value for c in at.code if "espace=" in c.value).split("espace=")[1]


def save(at, key: str, title: str | None = None):
    if title is not None:
        at.text_input(key=f"{key}_titre").set_value(title)
    return at.button(key=f"{key}_ok").click().run()


def store():
    return open_store(get_setting("database_url"))


def test_a_saved_view_reopens_in_a_new_session_with_the_same_filters_and_figures(marts):
    at = open_page("territoires_ruraux", {"reg": "53", "distance": "35", "cohorte": "2023"})
    before = summaries(at)
    save(at, "vue_enregistrer", "Bretagne rurale 2023")
    item_id = saved_link(at, "vue_enregistrer")
    again = open_page(None, {"espace": item_id})  # another browser: a new session
    assert not again.exception, again.exception
    assert again.title[0].value == "Territoires ruraux"
    assert summaries(again) == before
    assert again.slider(key="rural_distance").value == 35
    assert again.sidebar.multiselect(key="f_regions").value == ["53"]
    assert "espace" not in again.query_params
    saved = store().open(LOCAL_USER, item_id)
    assert saved.payload == {"page": "territoires_ruraux", "params": {"reg": "53", "distance": "35", "cohorte": "2023"}}


def test_a_saved_list_and_a_view_that_uses_it_reopen_both_without_personal_data(marts):
    at = open_page("listes_importees")
    at.file_uploader(key="liste_fichier").upload("laureats.csv", LIST_CSV, "text/csv").run()
    assert (metric(at, "Lignes lues"), metric(at, "Acceptées"), metric(at, "Rejetées")) == ("4", "3", "1")
    next(r for r in at.radio if r.key.startswith("liste_mode_")).set_value("remplace").run()
    save(at, "liste_enregistrer", "Lauréats")
    list_id = saved_link(at, "liste_enregistrer")
    payload = store().open(LOCAL_USER, list_id).payload
    text = json.dumps(payload, ensure_ascii=False) + store().blob(payload["source"]["blob"]).decode()
    assert "Jeanne" not in text and "example.org" not in text and payload["personal_columns"] == ["Contact", "Mail"]
    assert payload["rows_in"] == 4 and len(payload["accepted"]) == 3
    at.switch_page("pages/vue_ensemble.py").run()
    assert metric(at, "Fabriques") == "3"
    save(at, "vue_enregistrer", "Vue des lauréats")
    view_id = saved_link(at, "vue_enregistrer")
    assert store().open(LOCAL_USER, view_id).payload["list_item"] == list_id
    again = open_page(None, {"espace": view_id})
    assert not again.exception, again.exception
    assert metric(again, "Fabriques") == "3"  # the list's places, not the Fabriques
    assert any("Lauréats" in i.value or "laureats" in i.value for i in again.sidebar.info)
    # the list's file, kept without its personal columns, is validated again on the current COG
    again.switch_page("pages/listes_importees.py").run()
    again.button(key="liste_revalider").click().run()
    assert any("Nouvelle validation : 3 lignes acceptées (avant : 3)" in s.value for s in again.success)
    assert store().open(LOCAL_USER, list_id).version == 2


def test_a_region_sud_scenario_reproduces_the_same_euros(sud_marts):  # noqa: F811
    at = open_page("region_sud", {"methode": "population", "plancher": "100000"})
    amounts = allocation_amounts(at)
    save(at, "rs_enregistrer", "Scénario population")
    item_id = saved_link(at, "rs_enregistrer")
    again = open_page(None, {"espace": item_id})
    assert not again.exception, again.exception
    assert again.radio(key="rs_methode").value == "population"
    assert again.number_input(key="rs_plancher").value == 100000
    assert allocation_amounts(again) == amounts


def test_an_eligibility_batch_reopens_with_its_verdicts(marts):
    at = open_page("eligibilite", {"dep_dispositif": "01"})
    body = b"nom;type_porteur;depense_ht;insee_com\nA;Association;25 000;01001\nB;Mairie;5000;1340\n"
    at.file_uploader(key="elig_fichier").upload("projets.csv", body, "text/csv").run()
    verdicts = table_with(at, "verdict")
    save(at, "elig_enregistrer", "Lot de test")
    item_id = saved_link(at, "elig_enregistrer")
    again = open_page(None, {"espace": item_id})
    assert not again.exception, again.exception
    assert any("Lot enregistré" in s.value for s in again.header)
    shown = next(f.value for f in again.dataframe if "verdict" in f.value.columns)
    assert (
        shown[["projet", "dispositif", "verdict"]].values.tolist()
        == verdicts[["projet", "dispositif", "verdict"]].values.tolist()
    )


def test_a_presentation_is_saved_with_its_notes(marts):
    at = open_page("presentation", {"cohorte": "2023"})
    at.toggle(key="diapo_notes").set_value(True).run()
    at.text_area(key="diapo_note_0").set_value("Ouvrir sur les 2023").run()
    save(at, "deck_enregistrer", "Comité du 3 décembre")
    item_id = saved_link(at, "deck_enregistrer")
    slides = store().open(LOCAL_USER, item_id).payload["slides"]
    assert slides[0]["notes"] == "Ouvrir sur les 2023" and slides[0]["view"]["params"]["cohorte"] == "2023"
    again = open_page(None, {"espace": item_id})
    assert not again.exception, again.exception
    assert any("Comité du 3 décembre" in c.value for c in again.caption)
    again.toggle(key="diapo_notes").set_value(True).run()
    assert again.text_area(key="diapo_note_0").value == "Ouvrir sur les 2023"


def test_two_sessions_saving_the_same_item_get_a_conflict_message_not_an_overwrite(marts):
    at = open_page("carte", {"dep": "29"})
    save(at, "vue_enregistrer", "Finistère")
    item_id = saved_link(at, "vue_enregistrer")
    first, second = open_page(None, {"espace": item_id}), open_page(None, {"espace": item_id})
    save(first, "vue_enregistrer", "Finistère (A)")
    assert saved_link(first, "vue_enregistrer") == item_id
    save(second, "vue_enregistrer", "Finistère (B)")
    warning = " ".join(w.value for w in second.warning)
    assert "Finistère (A)" in warning and "version 2" in warning and "version 1" in warning
    assert store().open(LOCAL_USER, item_id).summary.title == "Finistère (A)"
    second.button(key="vue_enregistrer_copie").click().run()
    assert {i.title for i in store().list_items(LOCAL_USER)} == {"Finistère (A)", "Finistère (B)"}


def test_mon_espace_renames_duplicates_deletes_restores_exports_and_imports(marts):
    item = store().save(LOCAL_USER, "view", "Vue <b>**grasse**</b>", "note", {"page": "carte", "params": {}})
    at = open_page("mon_espace")
    assert not at.exception, at.exception
    assert table_with(at, "titre")["titre"].tolist() == ["Vue <b>**grasse**</b>"]  # shown as text
    at.text_input(key=f"espace_{item.id}_titre").set_value("Renommée").run()
    at.button(key=f"espace_{item.id}_renommer").click().run()
    assert store().open(LOCAL_USER, item.id).summary.title == "Renommée"
    at.button(key=f"espace_{item.id}_dupliquer").click().run()
    assert sorted(i.title for i in store().list_items(LOCAL_USER)) == ["Renommée", "Renommée (copie)"]
    at.button(key=f"espace_{item.id}_supprimer").click().run()
    assert [i.id for i in store().list_items(LOCAL_USER, deleted=True)] == [item.id]
    at.button(key=f"espace_{item.id}_corbeille").click().run()
    assert store().list_items(LOCAL_USER, deleted=True) == []
    from core.workspace.payloads import export_envelope

    exported = export_envelope(store().open(LOCAL_USER, item.id), {})
    at.file_uploader(key="espace_import").upload("vue.json", exported, "application/json").run()
    at.button(key="espace_import_ok").click().run()
    assert [i.title for i in store().list_items(LOCAL_USER)].count("Renommée") == 2
    at.file_uploader(key="espace_import").upload("autre.json", b'{"a": 1}', "application/json").run()
    assert any("format inconnu" in e.value for e in at.error)


@pytest.mark.parametrize("page", ["vue_ensemble", "carte", "mon_espace"])
def test_a_database_that_cannot_be_opened_leaves_the_analysis_pages_working(marts, tmp_path, monkeypatch, page):
    blocked = tmp_path / "un-fichier"
    blocked.write_text("x")  # the data folder is a file: the database cannot be created
    monkeypatch.setenv("FABT_DATABASE_URL", f"sqlite:///{blocked / 'espace.sqlite'}")
    at = open_page(page)
    assert not at.exception, at.exception
    if page == "mon_espace":
        assert "ne peut pas être ouvert" in at.error[0].value
        return
    assert at.title[0].value
    save(at, "vue_enregistrer", "Vue")
    assert any("Enregistrement impossible" in e.value and "reste dans cette session" in e.value for e in at.error)


def test_a_next_wave_scenario_reopens_with_the_same_plan(marts):
    at = open_page("prochaine_vague", {"sites": "2", "distance": "20"})
    assert not at.exception, at.exception
    plan = table_with(at, "insee_com")["insee_com"].tolist()
    save(at, "plan_enregistrer", "Deux sites à 20 km")
    item_id = saved_link(at, "plan_enregistrer")
    saved = store().open(LOCAL_USER, item_id).payload
    assert saved["sites"] == plan and saved["view"]["params"] == {"sites": "2", "distance": "20"}
    again = open_page(None, {"espace": item_id})
    assert not again.exception, again.exception
    assert again.title[0].value == "Prochaine vague"
    assert any("Deux sites à 20 km" in i.value and "est le même" in i.value for i in again.info)
    assert table_with(again, "insee_com")["insee_com"].tolist() == plan
