"""Upload measures: a crafted archive refused, a workbook stopped by the worker's memory limit, a genuine 10 MB CSV.

Figures: ``upload_bomb_refusal_s`` and ``upload_bomb_peak_mb`` (a 6 MB ``.xlsx`` whose sheet
inflates to 2 GB: seconds to the refusal, and the process's peak resident memory above its idle
level while refusing it); ``upload_memory_limit_refusal_s`` and ``upload_memory_limit_peak_mb`` (a
5 kB workbook whose far cell asks calamine for 10 GB, stopped by the worker's limit);
``upload_small_xlsx_s`` (a small workbook read in the worker: the worker's cost) and
``upload_10mb_csv_s`` (a 10 MB CSV of 20 000 places read and validated with
:func:`core.uploads.lists.validate_list` on the real marts).
"""

from __future__ import annotations

import io
import random
import statistics
import time
import zipfile

import geopandas as gpd
import pandas as pd

from bench.crafted_files import make_bomb_xlsx, make_far_cell_xlsx
from core.domain.codes import code_map_from_mart
from core.paths import require_mart
from core.uploads.lists import guess_mapping, validate_list
from core.uploads.reader import UploadError, read_upload


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def _reset_peak() -> None:
    """Make the kernel's resident peak (VmHWM) start again from the current resident size."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def make_places_csv(codes: list[str], rows: int = 20_000, seed: int = 17) -> bytes:
    """A genuine list of ``rows`` places in the shape users send (Windows-1252, ``;``, French amounts, a long
    description), about 10 MB; a point for one row in four."""
    rng = random.Random(seed)
    words = [
        "tiers-lieu",
        "atelier",
        "partagé",
        "numérique",
        "coworking",
        "fablab",
        "ressourcerie",
        "café",
        "associatif",
        "jardin",
        "école",
    ]
    header = "Nom du lieu;Code INSEE;Longitude;Latitude;Montant;Date;Adresse;Fabrique numérique;Description"
    lines = [header]
    for i in range(rows):
        lon = lat = ""
        if i % 4 == 0:
            lon = f"{rng.uniform(-1.5, 7.5):.5f}".replace(".", ",")
            lat = f"{rng.uniform(43.5, 49.5):.5f}".replace(".", ",")
        amount = f"{rng.randint(5, 300) * 1000:,} €".replace(",", " ")
        date = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/202{rng.randint(0, 5)}"
        description = " ".join(rng.choice(words) for _ in range(49))
        lines.append(
            f"Lieu {i} — {rng.choice(words)};{rng.choice(codes)};{lon};{lat};{amount};{date};{i} rue de l'Église;"
            f"{rng.choice(['oui', 'non', ''])};{description}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace")


def _refusal(data: bytes, name: str, idle_mb: float) -> tuple[float, float, str]:
    _reset_peak()
    started = time.perf_counter()
    try:
        read_upload(data, name)
        message = ""
    except UploadError as error:
        message = str(error)
    elapsed = time.perf_counter() - started
    return elapsed, max(0.0, _status_mb("VmHWM") - idle_mb), message


def measure_uploads(repeats: int = 3) -> dict[str, float]:
    """Seconds and peak memory (Mo above idle) of the refusals, the worker's cost on a small workbook, and
    seconds to read and validate a genuine 10 MB CSV."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["nom", "insee"])
    book.active.append(["Lieu", "01001"])
    buffer = io.BytesIO()
    book.save(buffer)
    small = buffer.getvalue()
    read_upload(small, "echauffement.xlsx")  # starts the worker server once, as the first upload does
    small_s = []
    for _ in range(repeats):
        started = time.perf_counter()
        read_upload(small, "petit.xlsx")
        small_s.append(time.perf_counter() - started)

    bomb = make_bomb_xlsx(2048)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        inflated = sum(m.file_size for m in archive.infolist())
    idle_mb = _status_mb("VmRSS")
    bomb_s, bomb_mb, bomb_message = _refusal(bomb, "bombe.xlsx", idle_mb)
    far_s, far_mb, far_message = _refusal(make_far_cell_xlsx(), "etendue.xlsx", idle_mb)
    print(f"bomb: {len(bomb) / 1e6:.1f} MB inflating to {inflated / 1e9:.1f} GB → {bomb_message[:110]}…")
    print(f"far cell: → {far_message[:110]}…")

    communes = gpd.read_parquet(require_mart("communes"))
    code_map = code_map_from_mart(communes, pd.read_parquet(require_mart("codes_communes")))
    data = make_places_csv(sorted(communes["insee_com"]))
    csv_s = []
    for _ in range(repeats):
        started = time.perf_counter()
        table = read_upload(data, "liste.csv")
        result = validate_list(table.frame, guess_mapping(list(table.frame.columns)), code_map, communes, table.lines)
        csv_s.append(time.perf_counter() - started)
    print(
        f"10 MB CSV: {len(data) / 1e6:.1f} MB, {result.rows_in} rows = {len(result.accepted)} accepted + "
        f"{len(result.rejected)} rejected"
    )
    return {
        "upload_bomb_refusal_s": bomb_s,
        "upload_bomb_peak_mb": bomb_mb,
        "upload_memory_limit_refusal_s": far_s,
        "upload_memory_limit_peak_mb": far_mb,
        "upload_small_xlsx_s": statistics.median(small_s),
        "upload_10mb_csv_s": statistics.median(csv_s),
        "upload_10mb_csv_bytes": len(data),
    }
