"""The team deployment on loopback: PostgreSQL + PostGIS (a throwaway cluster), two Streamlit replicas each
with an empty data folder of its own (the marts come from PostGIS, saved work from PostgreSQL; they share
only the database URL and the cookie secret) and nginx in front, started once for the module and stopped
by their pids. Which replica served a request is read from nginx's access log (``upstream=`` and
``affinity=``, the cookie's value)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load_ws import ERRORS
from bench.ws_client import StreamlitClient
from core.workspace.store import open_store
from tests.e2e.test_browser import TIMEOUT, wait_for_app
from tests.e2e.test_workspace_browser import LIST, fabriques_metric, save_in_popover


@pytest.fixture(scope="module")
def team(fixture_build, tmp_path_factory):
    from etl.publish_postgis import publish_to_postgis
    from ops.nginx import nginx_binary
    from ops.postgres import postgis_installed, postgres_bindir
    from ops.stack import start_stack

    missing = [
        what
        for what, ok in (("nginx", nginx_binary()), ("PostgreSQL", postgres_bindir()), ("PostGIS", postgis_installed()))
        if not ok
    ]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} absent(s) : bash scripts/setup.sh les installe ; tests du mode équipe sautés"
        )
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text("# sans [auth] : pas de connexion dans ce test\n")
    stack = start_stack(
        2,
        prepare_database=lambda url: publish_to_postgis(fixture_build["marts"], url),
        secrets_file=secrets,
        extra_env={"FABT_SIGN_IN": "off"},
    )
    yield stack
    stack.stop()


def served(stack, affinity: str) -> list[tuple[str, str]]:
    """(request, upstream address) of every logged request carrying ``affinity``."""
    lines = stack.nginx.access_log.read_text().splitlines()
    found = []
    for line in lines:
        match = re.search(r'"(\S+ \S+) [^"]*" \d+ upstream=(\S+) affinity=(\S+)', line)
        if match and match.group(3) == affinity:
            found.append((match.group(1), match.group(2)))
    return found


def logged(stack, affinity: str, count: int = 1, timeout: float = 5.0) -> list[tuple[str, str]]:
    """:func:`served`, once nginx has written at least ``count`` lines for ``affinity`` (it writes a
    line when the response is over, a moment after the client has it)."""
    deadline = time.monotonic() + timeout
    while len(found := served(stack, affinity)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def cookie_for(stack, replica) -> str:
    """An affinity cookie that nginx sends to ``replica`` (drawn as browsers draw theirs)."""
    for _ in range(64):
        with urllib.request.urlopen(stack.url + "/_stcore/health", timeout=10) as response:
            cookie = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("fabt_replica="))
        value = cookie.split(";")[0].split("=", 1)[1]
        if logged(stack, value)[-1][1] == replica.address:
            return value
    raise AssertionError(f"no cookie sent to {replica.address}")


def get(url: str, cookie: str | None = None) -> tuple[int, bytes, list[str]]:
    request = urllib.request.Request(url, headers={"Cookie": f"fabt_replica={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read(), response.headers.get_all("Set-Cookie") or []


def in_thread(coroutine):
    """Run a coroutine in its own thread and loop (Playwright's sync API holds this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_health_through_nginx_and_replicas_on_their_own_ports_and_folders(team):
    status, body, cookies = get(team.url + "/_stcore/health")
    assert (status, body) == (200, b"ok")
    assert any(c.startswith("fabt_replica=") and "HttpOnly" in c for c in cookies)
    assert len({r.port for r in team.replicas}) == 2 and len({r.data_dir for r in team.replicas}) == 2
    for replica in team.replicas:
        assert not list((replica.data_dir / "marts").iterdir())  # nothing local: the marts are in PostGIS
        assert replica.env["FABT_DATABASE_URL"] == team.database_url
        assert replica.env["STREAMLIT_SERVER_COOKIE_SECRET"] == team.cookie_secret
    assert set(team.pids()) == {"replica-1", "replica-2", "nginx", "postgres"}
    # nothing listens beyond loopback
    assert team.nginx.host == "127.0.0.1" and {r.host for r in team.replicas} == {"127.0.0.1"}


async def _one_session(base: str, cookie: str) -> list[str]:
    client = StreamlitClient(base, timeout_s=60, headers={"Cookie": f"fabt_replica={cookie}"})
    await client.connect()
    try:
        first = await client.open_page("")
        after = await client.set_widget("Cohorte", ["2023"])
    finally:
        await client.close()
    return first.exceptions + after.exceptions + (["no metric"] if "metric" not in after.element_types else [])


def test_a_session_html_static_files_and_websocket_stay_on_one_replica(team):
    seen = set()
    for replica in team.replicas:
        cookie = cookie_for(team, replica)
        status, html, cookies = get(team.url + "/", cookie)
        assert status == 200 and not [c for c in cookies if c.startswith("fabt_replica=")]  # kept, not replaced
        script = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', html).group(1).decode()
        assert get(f"{team.url}/{script}", cookie)[0] == 200
        assert in_thread(_one_session(team.url, cookie)) == []
        requests = logged(team, cookie, count=4)  # the probe, the page, the script, the websocket (once closed)
        assert {r for r, _ in requests} >= {"GET /", f"GET /{script}", "GET /_stcore/stream"}
        assert {u for _, u in requests} == {replica.address}
        seen.add(replica.address)
    assert seen == {r.address for r in team.replicas}


def test_a_list_saved_through_replica_1_opens_through_replica_2(team, browser, tmp_path):
    one, two = team.replicas
    contexts = []
    for replica in (one, two):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        context.add_cookies([{"name": "fabt_replica", "value": cookie_for(team, replica), "url": team.url}])
        contexts.append(context)
    try:
        path = tmp_path / "laureats.csv"
        path.write_bytes(LIST)
        page = contexts[0].new_page()
        page.goto(f"{team.url}/listes_importees")
        page.get_by_role("heading", name="Listes importées", exact=True).wait_for(timeout=TIMEOUT)
        page.locator("input[type=file]").set_input_files(str(path))  # the upload goes to replica 1 too
        page.get_by_text("4 lignes lues = 4 acceptées + 0 rejetées").wait_for(timeout=TIMEOUT)
        page.get_by_text("À la place des Fabriques, sur toutes les pages").click()
        page.get_by_text("Toutes les pages (vue d'ensemble").wait_for(timeout=TIMEOUT)
        link = save_in_popover(page, "Enregistrer (liste)", "Lauréats (réplique 1)")
        assert link.startswith(team.url + "/?espace=")
        other = contexts[1].new_page()
        other.goto(link)
        other.get_by_role("heading", name="Listes importées", exact=True).wait_for(timeout=TIMEOUT)
        wait_for_app(other)
        assert "Liste importée" in other.locator("[data-testid=stSidebar]").inner_text()
        other.locator("[data-testid=stSidebarNav]").get_by_text("Vue d'ensemble", exact=True).click()
        other.get_by_role("heading", name="Vue d'ensemble", exact=True).wait_for(timeout=TIMEOUT)
        wait_for_app(other)
        assert fabriques_metric(other) == "4"  # the saved list's places, read through replica 2
        assert other.locator("[data-testid=stException]").count() == 0
    finally:
        cookies = [c["value"] for context in contexts for c in context.cookies() if c["name"] == "fabt_replica"]
        for context in contexts:
            context.close()
    time.sleep(0.5)  # the websockets' lines are written once they close
    for cookie, replica in zip(cookies, (one, two), strict=True):
        assert {u for _, u in served(team, cookie)} == {replica.address}  # sticky for the whole visit


async def _traffic(base: str, cookie: str, until: float, kill_at: float) -> dict:
    """One analyst changing the cohort every 0.3 s until ``until``; reconnects (same cookie) when the
    connection is lost, as the browser does."""
    outcome = {"errors": [], "runs_before": 0, "runs_after": 0, "reconnected": 0, "bad_views": []}
    client, lost, choices, i = None, False, (["2023"], ["2020-2021"], ["2020-2021", "2023"]), 0
    while time.monotonic() < until:
        try:
            if client is None:
                client = StreamlitClient(base, timeout_s=30, headers={"Cookie": f"fabt_replica={cookie}"})
                await client.connect()
                await client.open_page("")
                outcome["reconnected"] += lost
                lost = False
            result = await client.set_widget("Cohorte", choices[i % 3])
            i += 1
            if result.exceptions or "metric" not in result.element_types:
                outcome["bad_views"].append(result.exceptions)
            outcome["runs_after" if time.monotonic() > kill_at else "runs_before"] += 1
            await asyncio.sleep(0.3)
        except ERRORS as error:
            outcome["errors"].append(f"{type(error).__name__}: {error}"[:200])
            if client is not None:
                with contextlib.suppress(*ERRORS):
                    await client.close()
            client, lost = None, True
            await asyncio.sleep(0.2)
    if client is not None:
        await client.close()
    return outcome


async def _traffic_and_kill(team, cookies: list[str], kill) -> list[dict]:
    start = time.monotonic()
    kill_at, until = start + 6, start + 18

    async def killer():
        await asyncio.sleep(kill_at - time.monotonic())
        kill()

    results = await asyncio.gather(*(_traffic(team.url, c, until, kill_at) for c in cookies), killer())
    return results[:-1]


def test_sigkill_of_a_replica_under_traffic(team):
    one, two = team.replicas
    store = open_store(team.database_url)
    saved = [
        store.save("agent@exemple.fr", "view", f"Vue {i}", "", {"page": "territoires_ruraux", "params": {}}).id
        for i in range(3)
    ]
    on_one = [cookie_for(team, one) for _ in range(2)]
    on_two = [cookie_for(team, two) for _ in range(2)]
    killed_pid = one.pid
    results = in_thread(_traffic_and_kill(team, on_one + on_two, one.kill))
    # the other replica kept serving its sessions, without a single error
    for outcome in results[2:]:
        assert outcome["errors"] == [] and outcome["bad_views"] == [], outcome
        assert outcome["runs_after"] > 0
    # the killed replica's users lost their connection once, reconnected and went on
    for outcome in results[:2]:
        assert outcome["errors"] and outcome["reconnected"] >= 1 and outcome["runs_after"] > 0, outcome
        assert outcome["bad_views"] == [], outcome
    # nothing saved was lost: every item is there and opens through the living replica
    assert {s.id for s in open_store(team.database_url).list_items("agent@exemple.fr")} >= set(saved)
    run = in_thread(_open_item(two.url, saved[0]))
    assert not run.exceptions and "plotly_chart" in run.element_types
    # the supervisor took the dead replica out, restarted it (a new pid) and put it back
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not any(e[1:] == ("back", 1) for e in team.supervisor.events):
        time.sleep(0.5)
    kinds = [e[1] for e in team.supervisor.events if e[2] == 1]
    assert kinds[:3] == ["out", "restarted", "back"], team.supervisor.events
    assert one.alive() and one.pid != killed_pid
    assert get(one.url + "/_stcore/health")[0] == 200
    assert (team.nginx.prefix / "nginx.conf").read_text().count(" down;") == 0
    assert get(team.url + "/_stcore/health", on_one[0])[0] == 200


async def _open_item(base: str, item_id: str):
    client = StreamlitClient(base, timeout_s=60)
    await client.connect()
    try:
        return await client.open_page("", f"espace={item_id}")
    finally:
        await client.close()
