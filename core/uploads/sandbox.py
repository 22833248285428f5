"""Parsing a supplied file in a worker process that can neither block the server nor exhaust its memory.

The workers are forked by a small server process started once (:mod:`core.uploads.worker_server`),
which has already imported and warmed up the readers: a worker costs a fork, not a Python start.
Before parsing, the worker caps its own address space (``RLIMIT_AS``, at its size when it starts
plus the allowed memory) and its CPU time. The parent waits on a socket (other sessions run
meanwhile), kills the worker by its pid when the wall-clock limit passes, and turns every way a
worker can end (an answer, a refusal, an exception, a crash under the memory limit) into a result
or an :class:`UploadError` that says what to do.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from core.domain.formatting import format_number
from core.uploads.table import UploadError, UploadLimits
from core.uploads.worker_server import EXIT_MEMORY

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVER_START_S = 120.0
_SERVER: dict[str, object] = {}
_SERVER_LOCK = threading.Lock()
_SLOTS: dict[int, threading.BoundedSemaphore] = {}


def _server_socket() -> str:
    """The worker server's socket, starting the server on first use (or again if it has died)."""
    with _SERVER_LOCK:
        process = _SERVER.get("process")
        if isinstance(process, subprocess.Popen) and process.poll() is None:
            return str(_SERVER["path"])
        path = os.path.join(tempfile.mkdtemp(prefix="fabt-uploads-"), "workers.sock")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])}
        process = subprocess.Popen(
            [sys.executable, "-m", "core.uploads.worker_server", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_ROOT,
            env=env,
        )
        ready = process.stdout.readline() if process.stdout else b""
        if ready.strip() != b"ready":
            process.kill()
            raise UploadError("Le lecteur de fichiers n'a pas pu démarrer : réessayez dans un instant.")
        _SERVER.update(process=process, path=path)
        return path


def running_workers() -> list[int]:
    """The pids of the workers alive now (children of the worker server)."""
    process = _SERVER.get("process")
    if not isinstance(process, subprocess.Popen) or process.poll() is not None:
        return []
    pids: list[int] = []
    for task in Path(f"/proc/{process.pid}/task").glob("*/children"):
        pids += [int(pid) for pid in task.read_text(encoding="ascii").split()]
    return pids


def _slots(limits: UploadLimits) -> threading.BoundedSemaphore:
    with _SERVER_LOCK:
        return _SLOTS.setdefault(limits.max_workers, threading.BoundedSemaphore(limits.max_workers))


def _seconds(value: float) -> str:
    return format_number(value, 0 if value >= 10 else 2 if value < 1 else 1)


def run_bounded(function: Callable, args: tuple, filename: str, limits: UploadLimits) -> object:
    """Run ``function(*args)`` in a worker process with the memory and time limits of ``limits``.

    Parameters
    ----------
    function : callable
        A module-level function (the worker imports it by name); it raises
        :class:`UploadError` to refuse.
    args : tuple
        Its arguments (picklable).
    filename : str
        For the messages.
    limits : UploadLimits
        ``worker_memory_mb``, ``worker_timeout_s`` and ``max_workers``.

    Returns
    -------
    object
        What ``function`` returned.

    Raises
    ------
    UploadError
        The function's own refusal; the memory limit reached; the time limit passed (the worker
        is killed); the reader failing; the server too busy to start a worker in time.
    """
    started = time.monotonic()
    slots = _slots(limits)
    if not slots.acquire(timeout=limits.worker_timeout_s):
        raise UploadError(
            f"Le serveur lit déjà d'autres fichiers : « {filename} » n'a pas pu être lu. Réessayez dans un instant."
        )
    try:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(_server_socket())
        connection = Connection(client.detach())
        request = (
            function.__module__,
            function.__qualname__,
            args,
            limits.worker_memory_mb * 1024 * 1024,
            max(1, int(limits.worker_timeout_s) + 1),
            limits.max_inflated_bytes,
        )
        try:
            connection.send_bytes(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
            message = _answer(connection, started, filename, limits)
        finally:
            connection.close()
    except OSError as error:
        raise UploadError(
            f"Le lecteur de fichiers n'a pas répondu ({error}) : « {filename} » n'a pas été lu. Réessayez dans un "
            "instant."
        ) from error
    finally:
        slots.release()
    status, value = message
    if status == "refused":
        raise UploadError(value)
    if status == "failed":
        raise UploadError(
            f"« {filename} » n'a pas pu être lu ({value}). Ouvrez-le dans votre logiciel et enregistrez-le de nouveau, "
            "ou fournissez-le en CSV."
        )
    if status == "exit":
        raise _crash(value, filename, limits)
    return value


def _answer(connection: Connection, started: float, filename: str, limits: UploadLimits) -> tuple[str, object]:
    """The worker's outcome, or its exit status; the worker killed by its pid once the time limit has passed."""
    pid = None
    while True:
        remaining = limits.worker_timeout_s - (time.monotonic() - started)
        if remaining <= 0 or not connection.poll(remaining):
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            raise UploadError(
                f"La lecture de « {filename} » a dépassé {_seconds(limits.worker_timeout_s)} s et a été arrêtée : le "
                "fichier est bien plus lourd à lire que sa taille ne le laisse croire (fichier piégé, ou feuille très "
                "étendue). Réenregistrez-le en ne gardant que les données utiles, ou fournissez-le en CSV."
            )
        try:
            message = pickle.loads(connection.recv_bytes())
        except EOFError:
            return ("exit", None)
        if message[0] == "pid":
            pid = message[1]
            continue
        return message


def _crash(exitcode: int | None, filename: str, limits: UploadLimits) -> UploadError:
    """The refusal for a worker that ended without an answer."""
    if exitcode in (EXIT_MEMORY, -signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, -signal.SIGBUS):
        return UploadError(
            f"La lecture de « {filename} » a dépassé la mémoire permise "
            f"({format_number(limits.worker_memory_mb)} Mo) et a été arrêtée : le fichier contient bien plus de "
            "cellules que sa taille ne le laisse croire (fichier piégé, ou feuille dont une cellule lointaine étend "
            "la plage). Réenregistrez-le en ne gardant que les données utiles, ou fournissez-le en CSV."
        )
    if exitcode == -signal.SIGXCPU:
        return UploadError(
            f"La lecture de « {filename} » a dépassé le temps de calcul permis et a été arrêtée. Réenregistrez le "
            "fichier en ne gardant que les données utiles, ou fournissez-le en CSV."
        )
    return UploadError(
        f"La lecture de « {filename} » s'est arrêtée sans réponse (code {exitcode}). Ouvrez le fichier dans votre "
        "logiciel et enregistrez-le de nouveau, ou fournissez-le en CSV."
    )
