"""The worker server: ``python -m core.uploads.worker_server SOCKET`` (started by :mod:`core.uploads.sandbox`).

A small process of its own, started once, that has imported every reader (and warmed them up):
for each connection it forks a worker that says its pid, caps its address space and CPU time,
runs the requested function and sends back the outcome; the server then sends the worker's exit
status on the same connection, so a worker killed by the kernel or aborted by a reader (calamine
aborts when an allocation fails) is still reported. It stops when its parent closes its input.
It is not started with multiprocessing: that would import the app's ``__main__`` — under
Streamlit, the page being run — in every worker.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import resource
import signal
import socket
import sys
import threading
from multiprocessing.connection import Connection

EXIT_MEMORY = 70  # a worker's own exit status for a MemoryError


def _address_space_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _work(connection: Connection) -> None:
    """In the forked worker: read the request, limit itself, run it, answer."""
    module, name, args, memory_bytes, cpu_s, answer_bytes = pickle.loads(connection.recv_bytes())
    connection.send_bytes(pickle.dumps(("pid", os.getpid())))
    os.environ["RUST_BACKTRACE"] = "0"
    limit = _address_space_bytes() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    from core.uploads.table import UploadError

    try:
        outcome = ("ok", getattr(importlib.import_module(module), name)(*args))
    except UploadError as error:
        outcome = ("refused", str(error))
    except MemoryError:
        os._exit(EXIT_MEMORY)
    except Exception as error:  # a third-party reader's failure is reported, never raised in the server
        outcome = ("failed", f"{type(error).__name__} : {error}")
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        if len(payload) > answer_bytes:
            size = round(len(payload) / 1_048_576)
            message = f"Le contenu lu occupe {size} Mo, bien plus que le fichier : gardez seulement les données utiles."
            payload = pickle.dumps(("refused", message))
        connection.send_bytes(payload)
    except MemoryError:
        os._exit(EXIT_MEMORY)


def _report_exit(connection: Connection, pid: int) -> None:
    """In the server: wait for the worker, then send its exit status (a negative number: the signal)."""
    _, status = os.waitpid(pid, 0)
    with contextlib.suppress(OSError):  # the parent may have its answer and be gone
        connection.send_bytes(pickle.dumps(("exit", os.waitstatus_to_exitcode(status))))
    connection.close()


def _stop_with_parent() -> None:
    sys.stdin.buffer.read()
    os._exit(0)


def serve(path: str) -> None:
    """Listen on the Unix socket ``path`` and fork a worker per connection."""
    import core.uploads.worker_warmup  # noqa: F401  (imports and warms every reader once)

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    threading.Thread(target=_stop_with_parent, daemon=True).start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        client, _ = listener.accept()
        connection = Connection(client.detach())
        pid = os.fork()
        if pid == 0:
            listener.close()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                _work(connection)
            finally:
                os._exit(0)
        threading.Thread(target=_report_exit, args=(connection, pid), daemon=True).start()


if __name__ == "__main__":
    serve(sys.argv[1])
