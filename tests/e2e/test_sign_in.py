"""Sign-in through Chromium against a real OpenID Connect provider started on loopback for the test
(``oidc-provider-mock`` from PyPI: its authorisation page asks for the subject, which becomes the
e-mail claim): a visitor not signed in gets the sign-in screen; a reader (lecteur) cannot upload; user
A cannot open user B's private item even with its link."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from ops.ports import free_port
from ops.replicas import Replica
from tests.e2e.test_browser import TIMEOUT, wait_for_app
from tests.e2e.test_workspace_browser import LIST, save_in_popover

ROLES = """
[contributeur]
emails = ["a@anct.gouv.fr", "b@anct.gouv.fr"]
[lecteur]
domains = ["agriculture.gouv.fr"]
"""


def _wait(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture(scope="module")
def provider():
    """The OIDC provider, on a loopback port, stopped by its pid."""
    if importlib.util.find_spec("oidc_provider_mock") is None:
        pytest.skip("oidc-provider-mock (requirements-dev.txt) n'est pas installé : bash scripts/setup.sh")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/.well-known/openid-configuration", proc)
        yield base
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def signed_app(provider, fixture_build, tmp_path_factory):
    """The dashboard with sign-in on: secrets ([auth] pointing at the provider) and roles of its own."""
    if importlib.util.find_spec("authlib") is None:
        pytest.skip("Authlib (requirements.txt) n'est pas installé : bash scripts/setup.sh")
    root = tmp_path_factory.mktemp("connexion")
    port = free_port()
    (root / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "secret-de-test-partage-par-les-repliques"\n'
        'client_id = "tableau-de-bord"\n'
        'client_secret = "secret-du-client"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    (root / "roles.toml").write_text(ROLES, encoding="utf-8")
    env = {
        **os.environ,
        "FABT_MARTS_DIR": str(fixture_build["marts"]),
        "FABT_DATABASE_URL": f"sqlite:///{root / 'espace.sqlite'}",
        "FABT_ROLES_FILE": str(root / "roles.toml"),
        "FABT_SIGN_IN": "auto",
    }
    replica = Replica(1, "127.0.0.1", port, root, env, ("--secrets.files", str(root / "secrets.toml"))).start()
    try:
        replica.wait_healthy(90)
        yield replica.url
    finally:
        replica.stop()


def sign_in(browser, app: str, email: str):
    """A new browser, signed in as ``email`` through the provider's authorisation page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    page.goto(app)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("input[name=sub]").fill(email)  # the provider's own page
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app}/**", timeout=TIMEOUT)
    wait_for_app(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Connecté").wait_for(timeout=TIMEOUT)
    assert email in sidebar.inner_text().replace("\\", "")
    return page


def test_a_visitor_not_signed_in_gets_the_sign_in_screen(signed_app, page):
    for path in ("/", "/carte", "/mon_espace"):
        page.goto(signed_app + path)
        page.get_by_role("button", name="Se connecter").wait_for(timeout=TIMEOUT)
        assert page.locator("[data-testid=stMetric]").count() == 0
        assert page.locator("[data-testid=stSidebarNav]").count() == 0
        assert page.locator("[data-testid=stFileUploader]").count() == 0


def test_a_reader_signs_in_and_cannot_upload(signed_app, browser):
    page = sign_in(browser, signed_app, "agent@agriculture.gouv.fr")
    assert "rôle lecteur" in page.locator("[data-testid=stSidebar]").inner_text()
    page.locator("[data-testid=stSidebarNav]").get_by_text("Listes importées", exact=True).click()
    page.get_by_text("permet de consulter, pas de déposer une liste").wait_for(timeout=TIMEOUT)
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_role("button", name="Enregistrer (vue)").count() == 0
    page.context.close()


def test_user_a_cannot_open_user_b_private_item_even_with_its_link(signed_app, browser, tmp_path):
    b = sign_in(browser, signed_app, "b@anct.gouv.fr")
    path = tmp_path / "montants-internes.csv"
    path.write_bytes(LIST)
    b.locator("[data-testid=stSidebarNav]").get_by_text("Listes importées", exact=True).click()
    b.locator("input[type=file]").set_input_files(str(path))
    b.get_by_text("4 lignes lues = 4 acceptées + 0 rejetées").wait_for(timeout=TIMEOUT)
    link = save_in_popover(b, "Enregistrer (liste)", "Montants internes (B)")
    b.context.close()

    a = sign_in(browser, signed_app, "a@anct.gouv.fr")
    a.goto(link)
    a.get_by_text("n'est pas partagé avec vous").wait_for(timeout=TIMEOUT)
    wait_for_app(a)
    assert "Liste importée" not in a.locator("[data-testid=stSidebar]").inner_text()
    assert a.get_by_role("heading", name="Listes importées", exact=True).count() == 0
    a.context.close()
