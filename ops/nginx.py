"""nginx (Debian's package) in front of the replicas: its configuration rendered from
``config/nginx.conf.template``, run with a prefix folder of our own (``-p``, ``-c``), reloaded when a
replica is taken out or back, stopped by its pid.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ops.postgres import process_alive
from ops.processes import stop_process

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "config" / "nginx.conf.template"
TEMP_FOLDERS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")


class NginxUnavailable(RuntimeError):
    """nginx is not installed, its configuration is refused, or it did not start."""


@dataclass(frozen=True)
class Upstream:
    """One replica as nginx knows it: its address, and whether it is taken out (``down``)."""

    address: str
    down: bool = False

    def line(self, max_fails: int = 1, fail_timeout_s: int = 10) -> str:
        """Its ``server`` line in the upstream block."""
        flags = " down" if self.down else f" max_fails={max_fails} fail_timeout={fail_timeout_s}s"
        return f"        server {self.address}{flags};"


def nginx_binary() -> str | None:
    """The nginx program (``/usr/sbin`` is not always in the PATH), or None."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def render_config(
    prefix: Path,
    listen: str,
    upstreams: list[Upstream],
    *,
    workers: int = 1,
    tls: tuple[str, str] | None = None,
    template: Path = TEMPLATE,
) -> str:
    """The nginx configuration for these replicas.

    Parameters
    ----------
    prefix
        nginx's folder: pid file, logs, temporary files.
    listen
        What nginx listens on, e.g. ``127.0.0.1:8080`` (loopback in tests).
    tls
        ``(certificate, key)`` files: nginx terminates TLS (``listen … ssl``) and the affinity cookie
        gets ``Secure``.

    Raises
    ------
    ValueError
        No upstream, or the template has a placeholder that is not filled.
    """
    if not upstreams:
        raise ValueError("Aucun serveur Streamlit à mettre derrière nginx : démarrez au moins une réplique.")
    user = ""
    if os.geteuid() == 0:  # workers never run as root; they write nothing (no temporary files)
        user = "user www-data;" if _user_exists("www-data") else "user nobody;"
    values = {
        "user": user,
        "workers": str(workers),
        "prefix": str(prefix),
        "listen": f"{listen} ssl" if tls else listen,
        "servers": "\n".join(u.line() for u in upstreams),
        "tls": (f"        ssl_certificate {tls[0]};\n        ssl_certificate_key {tls[1]};" if tls else ""),
        "cookie_flags": "; Secure" if tls else "",
    }
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        missing = text[text.index("{{") : text.index("}}", text.index("{{")) + 2]
        raise ValueError(f"Le gabarit {template} garde {missing} : ajoutez sa valeur dans ops/nginx.py.")
    return text


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _wait_listening(host: str, port: int, proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@dataclass
class Nginx:
    """A running nginx: its prefix folder, address, master process and the upstreams it serves."""

    prefix: Path
    host: str
    port: int
    proc: subprocess.Popen
    upstreams: list[Upstream] = field(default_factory=list)
    tls: tuple[str, str] | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def reload(self, upstreams: list[Upstream]) -> None:
        """Serve ``upstreams`` from now on (SIGHUP: new workers, open connections kept on the old ones
        until they close)."""
        config = self.prefix / "nginx.conf"
        config.write_text(render_config(self.prefix, f"{self.host}:{self.port}", upstreams, tls=self.tls))
        self.upstreams = list(upstreams)
        os.kill(self.pid, signal.SIGHUP)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop nginx by its master's pid (SIGQUIT: graceful; SIGKILL if it lingers)."""
        stop_process(self.proc, signal.SIGQUIT, timeout)

    def alive(self) -> bool:
        return self.proc.poll() is None and process_alive(self.pid)


def start_nginx(
    prefix: Path,
    port: int,
    upstreams: list[Upstream],
    *,
    host: str = "127.0.0.1",
    tls: tuple[str, str] | None = None,
    timeout: float = 15.0,
) -> Nginx:
    """Render the configuration into ``prefix`` and start nginx on ``host:port``; return it once it
    accepts connections.

    Raises
    ------
    NginxUnavailable
        nginx is not installed (``bash scripts/setup.sh`` installs it), refuses the configuration
        (``nginx -t``'s message is quoted) or did not start.
    """
    binary = nginx_binary()
    if binary is None:
        raise NginxUnavailable("nginx n'est pas installé : lancez bash scripts/setup.sh (paquet nginx-light).")
    prefix = Path(prefix)
    for name in TEMP_FOLDERS:
        (prefix / "tmp" / name).mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    config = prefix / "nginx.conf"
    config.write_text(render_config(prefix, f"{host}:{port}", upstreams, tls=tls), encoding="utf-8")
    command = [binary, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise NginxUnavailable(f"nginx refuse sa configuration ({config}) : {checked.stderr.strip()[-800:]}")
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not _wait_listening(host, port, proc, timeout):
        proc.kill()
        log = (prefix / "error.log").read_text(errors="replace")[-800:] if (prefix / "error.log").exists() else ""
        raise NginxUnavailable(f"nginx n'a pas démarré sur {host}:{port} : {log}")
    return Nginx(prefix, host, port, proc, list(upstreams), tls)
