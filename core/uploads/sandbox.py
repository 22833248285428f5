"""Parsing a supplied file in a worker process that can neither block the server nor exhaust its memory.

The worker is forked from a small server process started once (multiprocessing's
``forkserver``), which has already imported the readers: a worker costs a fork, not a Python
start. Before parsing, the worker caps its own address space (``RLIMIT_AS``, at its size when
it starts plus the allowed memory) and its CPU time; the parent waits on a pipe (other sessions
run meanwhile), kills the worker by its pid when the wall-clock limit passes, and turns every
way a worker can end (an answer, a refusal, an exception, a crash under the memory limit) into a
result or an :class:`UploadError` that says what to do.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable

from core.domain.formatting import format_number
from core.uploads.table import UploadError, UploadLimits

PRELOAD = ["core.uploads.parsing", "core.uploads.worker_warmup"]
_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()
_EXIT_MEMORY = 70  # a worker's own exit status for a MemoryError


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    # A program started from a script path (the streamlit command) is imported by every worker
    # unless the server imports it once beforehand; one started with -m (pytest, the ETL) is not.
    script = getattr(main, "__spec__", None) is None and path is not None and os.path.isfile(path)
    context.set_forkserver_preload(["__main__", *PRELOAD] if script else PRELOAD)
    return context


def _address_space_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _worker(connection, function: Callable, args: tuple, memory_bytes: int, cpu_s: int, answer_bytes: int) -> None:
    """The worker's body: limit itself, run ``function(*args)``, send back ("ok", value) or ("refused", message).

    An answer larger than ``answer_bytes`` is replaced by a refusal, so the parent never
    receives more than that.
    """
    os.environ["RUST_BACKTRACE"] = "0"
    limit = _address_space_bytes() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    try:
        outcome = ("ok", function(*args))
    except UploadError as error:
        outcome = ("refused", str(error))
    except MemoryError:
        os._exit(_EXIT_MEMORY)
    except Exception as error:  # the worker reports any failure of a third-party reader as a refusal
        outcome = ("failed", f"{type(error).__name__} : {error}")
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        if len(payload) > answer_bytes:
            size = format_number(len(payload) / 1_048_576)
            message = f"Le contenu lu occupe {size} Mo, bien plus que le fichier : gardez seulement les données utiles."
            payload = pickle.dumps(("refused", message))
        connection.send_bytes(payload)
    except MemoryError:
        os._exit(_EXIT_MEMORY)
    connection.close()


def _slots(limits: UploadLimits) -> threading.BoundedSemaphore:
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(limits.max_workers, threading.BoundedSemaphore(limits.max_workers))


def run_bounded(function: Callable, args: tuple, filename: str, limits: UploadLimits) -> object:
    """Run ``function(*args)`` in a worker process with the memory and time limits of ``limits``.

    Parameters
    ----------
    function : callable
        A module-level function (it is sent to the worker by reference); it raises
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
        context = _context()
        receiver, sender = context.Pipe(duplex=False)
        cpu_s = max(1, int(limits.worker_timeout_s) + 1)
        memory = limits.worker_memory_mb * 1024 * 1024
        process = context.Process(
            target=_worker, args=(sender, function, args, memory, cpu_s, limits.max_inflated_bytes), daemon=True
        )
        try:
            process.start()
        except OSError as error:
            raise UploadError(
                f"Le lecteur de fichiers n'a pas pu démarrer ({error}) : « {filename} » n'a pas été lu. Réessayez dans "
                "un instant."
            ) from error
        sender.close()
        remaining = limits.worker_timeout_s - (time.monotonic() - started)
        payload = None
        try:
            if receiver.poll(max(remaining, 0.0)):
                payload = receiver.recv_bytes()
        except (EOFError, OSError):
            payload = None
        finally:
            receiver.close()
        if payload is None and process.is_alive() and time.monotonic() - started >= limits.worker_timeout_s:
            process.kill()
            process.join()
            raise UploadError(
                f"La lecture de « {filename} » a dépassé {_seconds(limits.worker_timeout_s)} s et a été arrêtée : "
                "le fichier est bien plus lourd à lire que sa taille ne le laisse croire (fichier piégé, ou feuille "
                "très étendue). Réenregistrez-le en ne gardant que les données utiles, ou fournissez-le en CSV."
            )
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
    finally:
        slots.release()
    if payload is None:
        raise _crash(process.exitcode, filename, limits)
    status, value = pickle.loads(payload)
    if status == "refused":
        raise UploadError(value)
    if status == "failed":
        raise UploadError(
            f"« {filename} » n'a pas pu être lu ({value}). Ouvrez-le dans votre logiciel et enregistrez-le de nouveau, "
            "ou fournissez-le en CSV."
        )
    return value


def _seconds(value: float) -> str:
    return format_number(value, 0 if value >= 10 else 2 if value < 1 else 1)


def _crash(exitcode: int | None, filename: str, limits: UploadLimits) -> UploadError:
    """The refusal for a worker that ended without an answer."""
    if exitcode in (_EXIT_MEMORY, -signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, -signal.SIGBUS):
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
