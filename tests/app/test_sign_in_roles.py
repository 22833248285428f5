"""Sign-in and roles in the app (AppTest seeds ``st.user`` the way a signed-in session has it; the real
OIDC flow through Chromium is tests/e2e/test_sign_in.py): nothing runs before sign-in, a reader cannot
upload nor save, a private item stays private even with its link, an admin reads the audit log."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page
from tests.app.test_workspace import save, saved_link

ROLES = """
[admin]
emails = ["cheffe@anct.gouv.fr"]
[contributeur]
emails = ["a@anct.gouv.fr", "b@anct.gouv.fr"]
[lecteur]
domains = ["agriculture.gouv.fr"]
"""
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "secret-partage-de-test-0123456789",
    "client_id": "tableau-de-bord",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def team(marts, tmp_path, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("FABT_ROLES_FILE", str(roles))
    return marts


def run_as(email: str | None, page: str | None = None, params: dict | None = None) -> AppTest:
    """The dashboard as ``email`` signed in (None: nobody), sign-in configured."""
    user = {"is_logged_in": True, "email": email} if email else {}
    return open_page(page, params, secrets={"auth": AUTH}, user=user)


def test_without_sign_in_only_the_sign_in_screen_runs(team):
    at = run_as(None)
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Se connecter"]
    assert not at.metric and not at.sidebar.multiselect  # no page, no filters
    at = run_as(None, params={"espace": "0" * 32})
    assert [b.label for b in at.button] == ["Se connecter"] and not at.error


def test_an_address_without_a_role_is_refused(team):
    at = run_as("quelquun@ailleurs.fr")
    assert at.title[0].value == "Accès non autorisé"
    assert "n'a pas accès" in at.error[0].value and not at.metric


def test_a_reader_sees_the_pages_but_cannot_upload_nor_save(team):
    at = run_as("agent@agriculture.gouv.fr")
    assert not at.exception, at.exception
    assert at.metric  # the open-data pages
    sidebar = " ".join(c.value for c in [*at.sidebar.caption, *at.sidebar.markdown]).replace("\\", "")
    assert "agent@agriculture.gouv.fr" in sidebar and "rôle lecteur" in sidebar and "Lecture seule" in sidebar
    assert not [b for b in at.sidebar.button if b.key == "vue_enregistrer_ok"]
    at.switch_page("pages/listes_importees.py").run()
    assert not at.exception and not at.get("file_uploader")
    assert any("rôle (lecteur) permet de consulter, pas de déposer une liste" in i.value for i in at.info)
    at.switch_page("pages/eligibilite.py").run()
    assert not at.get("file_uploader") and any("fichier de projets" in i.value for i in at.info)


def test_a_private_item_stays_private_even_with_its_link(team):
    at = run_as("b@anct.gouv.fr", "territoires_ruraux", {"reg": "53"})
    sidebar = " ".join(m.value for m in at.sidebar.markdown).replace("\\", "")
    assert "Connecté : **b@anct.gouv.fr** — rôle contributeur" in sidebar
    save(at, "vue_enregistrer", "Bretagne (B, privé)")
    item_id = saved_link(at, "vue_enregistrer")
    other = run_as("a@anct.gouv.fr", params={"espace": item_id})
    assert not other.exception
    assert any("pas partagé avec vous" in e.value for e in other.error)
    assert other.title[0].value == "Vue d'ensemble"  # not the item's page
    owner = run_as("b@anct.gouv.fr", params={"espace": item_id})
    assert owner.title[0].value == "Territoires ruraux" and not owner.error
    # the admin manages everyone's items and reads who did what
    admin = run_as("cheffe@anct.gouv.fr", params={"espace": item_id})
    assert admin.title[0].value == "Territoires ruraux"
    admin.switch_page("pages/mon_espace.py").run()
    assert not admin.exception, admin.exception
    journal = next(d.value for d in admin.dataframe if "utilisateur" in d.value.columns)
    done = set(zip(journal["utilisateur"], journal["action"], journal["élément"], strict=True))
    assert ("b@anct.gouv.fr", "création", "Bretagne (B, privé)") in done
    assert ("cheffe@anct.gouv.fr", "ouverture", "Bretagne (B, privé)") in done
    assert ("a@anct.gouv.fr", "ouverture", "Bretagne (B, privé)") not in done


def test_a_reader_has_no_audit_log_and_only_the_team_items(team):
    b = run_as("b@anct.gouv.fr", "territoires_ruraux")
    save(b, "vue_enregistrer", "Vue privée de B")
    at = run_as("agent@agriculture.gouv.fr", "mon_espace")
    assert not at.exception, at.exception
    assert "Journal d'audit" not in [t.label for t in at.tabs]
    assert not [d for d in at.dataframe if "titre" in d.value.columns and "Vue privée de B" in set(d.value["titre"])]


def test_the_embedded_default_says_it_runs_without_sign_in(marts):
    at = open_page()
    assert any("Mode local, sans connexion" in m.value for m in at.sidebar.markdown)


def test_sign_in_required_without_a_provider_says_what_to_configure(marts, monkeypatch):
    monkeypatch.setenv("FABT_SIGN_IN", "on")
    at = open_page()
    assert not at.metric and any("aucune section [auth]" in e.value for e in at.error)


def test_sign_in_off_keeps_the_local_mode_even_with_a_provider(marts, monkeypatch):
    monkeypatch.setenv("FABT_SIGN_IN", "off")
    at = open_page(secrets={"auth": AUTH}, user={})
    assert at.metric and any("Mode local" in m.value for m in at.sidebar.markdown)


def test_an_edit_of_the_roles_file_applies_without_a_restart(team, tmp_path):
    roles = tmp_path / "roles.toml"
    assert not run_as("nouveau@anct.gouv.fr").metric  # not in the file: refused
    roles.write_text(ROLES.replace('"agriculture.gouv.fr"]', '"agriculture.gouv.fr", "anct.gouv.fr"]'))
    at = run_as("nouveau@anct.gouv.fr")  # now a reader, by the domain added
    sidebar = " ".join(m.value for m in at.sidebar.markdown).replace("\\", "")
    assert at.metric and "rôle lecteur" in sidebar
