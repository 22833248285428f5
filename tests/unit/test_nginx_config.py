"""The nginx configuration rendered from config/nginx.conf.template: affinity by cookie (never by IP),
websocket upgrade, passive health, replicas taken out as ``down``, TLS; nginx itself checks it."""

from __future__ import annotations

import subprocess

import pytest

from ops.nginx import Upstream, nginx_binary, render_config


@pytest.fixture
def rendered(tmp_path):
    upstreams = [Upstream("127.0.0.1:8601"), Upstream("127.0.0.1:8602", down=True)]
    return render_config(tmp_path, "127.0.0.1:8080", upstreams)


def test_sessions_are_pinned_by_a_cookie_hashed_consistently(rendered):
    assert "hash $affinity consistent;" in rendered
    assert "map $cookie_fabt_replica $affinity" in rendered and "hash $remote_addr" not in rendered
    assert "ip_hash" not in rendered
    assert "add_header Set-Cookie $affinity_cookie always;" in rendered
    assert 'fabt_replica=$request_id; Path=/; HttpOnly; SameSite=Lax";' in rendered  # no Secure without TLS


def test_websockets_health_and_replicas(rendered):
    stream = rendered.split("location = /_stcore/stream")[1].split("}")[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream and "proxy_read_timeout 1d;" in stream
    assert "proxy_set_header Host $http_host;" in rendered  # the websocket's Origin check needs the port
    assert "server 127.0.0.1:8601 max_fails=1 fail_timeout=10s;" in rendered
    assert "server 127.0.0.1:8602 down;" in rendered
    assert "proxy_next_upstream error timeout http_502 http_503;" in rendered
    assert "listen 127.0.0.1:8080;" in rendered and "{{" not in rendered


def test_tls_termination(tmp_path):
    text = render_config(tmp_path, "127.0.0.1:8443", [Upstream("127.0.0.1:8601")], tls=("/c.pem", "/k.pem"))
    assert "listen 127.0.0.1:8443 ssl;" in text and "ssl_certificate /c.pem;" in text
    assert "ssl_certificate_key /k.pem;" in text and "SameSite=Lax; Secure" in text


def test_no_replica_or_an_unfilled_placeholder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Aucun serveur"):
        render_config(tmp_path, "127.0.0.1:8080", [])
    template = tmp_path / "gabarit.conf"
    template.write_text("listen {{listen}}; {{inconnu}}")
    with pytest.raises(ValueError, match=r"\{\{inconnu\}\}"):
        render_config(tmp_path, "127.0.0.1:8080", [Upstream("127.0.0.1:1")], template=template)


def test_nginx_accepts_the_configuration(tmp_path, rendered):
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx n'est pas installé (bash scripts/setup.sh l'installe)")
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / name).mkdir(parents=True)
    (tmp_path / "nginx.conf").write_text(rendered)
    done = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
