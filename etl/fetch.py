"""Fetch the catalogue's files into the raw cache: from a mirror folder or by download.

Every file is verified against its sha256 and written atomically (temporary file, then rename).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import requests
from tqdm import tqdm

from etl.catalogue import SourceFile
from etl.errors import ChecksumError, MissingSourceError

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, entry: SourceFile) -> None:
    """Raise :class:`ChecksumError` unless ``path`` has the catalogue's sha256."""
    actual = sha256_of(path)
    if actual != entry.sha256:
        raise ChecksumError(
            f"{entry.file}: sha256 {actual[:12]}… differs from the catalogue's "
            f"{entry.sha256[:12]}… ({path}). The file is corrupted, truncated or another "
            f"version: delete it and run `python -m etl fetch` again (or fix the mirror)."
        )


def _download(entry: SourceFile, target: Path, progress: bool, timeout: float) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        try:
            response = requests.get(entry.url, stream=True, timeout=timeout)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise MissingSourceError(
                f"{entry.file}: download from {entry.url} failed ({exc}). Check the network, "
                f"or give a folder holding the file with --mirror DIR (or FABT_MIRROR)."
            ) from exc
        total = int(response.headers.get("content-length") or entry.bytes or 0)
        with (
            os.fdopen(fd, "wb") as out,
            tqdm(total=total, unit="B", unit_scale=True, desc=entry.file[-40:], disable=not progress) as bar,
        ):
            fd = -1
            for block in response.iter_content(CHUNK):
                out.write(block)
                bar.update(len(block))
        verify(Path(tmp), entry)
        os.replace(tmp, target)
    finally:
        if fd >= 0:
            os.close(fd)
        if os.path.exists(tmp):
            os.unlink(tmp)


def fetch(
    entries: Iterable[SourceFile],
    raw_dir: Path,
    mirror: Path | None = None,
    *,
    download: bool = True,
    progress: bool = True,
    timeout: float = 60.0,
) -> list[Path]:
    """Make sure every file is in ``raw_dir`` with the right checksum.

    Parameters
    ----------
    entries : iterable of SourceFile
        The files to fetch.
    raw_dir : Path
        The cache; a file already there is verified, not fetched again.
    mirror : Path, optional
        A folder with the same layout as ``raw_dir``: its files are verified and read in place.
    download : bool
        Whether a file missing from the cache and the mirror may be downloaded.

    Returns
    -------
    list of Path
        The verified paths, in the order of ``entries``.

    Raises
    ------
    ChecksumError
        A cached, mirrored or downloaded file has another checksum.
    MissingSourceError
        A file is in neither place and cannot be downloaded.
    """
    paths = []
    for entry in entries:
        target = raw_dir / entry.file
        if target.exists():
            verify(target, entry)
        elif mirror is not None and (mirror / entry.file).exists():
            # The mirror is a download cache of its own: read in place, never copied.
            target = mirror / entry.file
            verify(target, entry)
        elif download:
            _download(entry, target, progress, timeout)
        else:
            where = f"the mirror {mirror}" if mirror else "no mirror given"
            raise MissingSourceError(
                f"{entry.file}: not in {raw_dir} and not in {where}. Run `python -m etl fetch` "
                f"with internet access, or pass --mirror DIR pointing at a copy of the files."
            )
        paths.append(target)
    return paths
