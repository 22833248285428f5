"""Reading a text table (CSV, TXT, TSV) as spreadsheet tools write it: encoding, separator, rows.

Encodings: UTF-8 (with or without BOM), UTF-16 little- or big-endian (by BOM — Excel's « Texte
Unicode » export — or by its zero bytes), else Windows-1252. The separator is the one that splits
the first lines most regularly, so title lines above the header do not mislead it. Rows are
streamed through :mod:`csv` with the limits checked as they come: a hostile file costs at most
a constant times its size.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from core.domain.formatting import format_number
from core.uploads.formats import OLE_MAGIC, ZIP_MAGIC
from core.uploads.table import UploadError, UploadLimits

CSV_SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
SNIFF_LINES = 40
BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 LE"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 BE"),
)


def decode_text(data: bytes, filename: str) -> tuple[str, str, list[str]]:
    """The text of a file, the encoding found and the remarks to make.

    Raises
    ------
    UploadError
        When the content is binary (a workbook renamed, an image…).

    Examples
    --------
    >>> decode_text("nom\\tinsee".encode("utf-16"), "a.txt")[:2]
    ('nom\\tinsee', 'UTF-16 LE')
    """
    binary = UploadError(
        f"« {filename} » porte l'extension d'un fichier texte mais son contenu est binaire (un classeur Excel "
        "renommé ?). Exportez-le en CSV depuis votre tableur, ou fournissez-le avec l'extension .xlsx ou .ods."
    )
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise binary
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec, filename), label, []
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) == 0:
            codec, label = ("utf-16-be", "UTF-16 BE") if even > odd else ("utf-16-le", "UTF-16 LE")
            return _decode(data, codec, filename), label, [f"Encodage {label} sans marque d'ordre détecté."]
        raise binary
    try:
        return data.decode("utf-8"), "UTF-8", []
    except UnicodeDecodeError:
        note = "Encodage Windows-1252 détecté (le fichier n'est pas en UTF-8) : les accents ont été convertis."
        return data.decode("cp1252", errors="replace"), "Windows-1252", [note]


def _decode(data: bytes, codec: str, filename: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise UploadError(
            f"« {filename} » s'annonce en {codec.upper()} mais ne l'est pas (octet {error.start}). Exportez-le de "
            "nouveau en UTF-8 depuis votre tableur."
        ) from error
    if "\x00" in text:
        raise UploadError(f"« {filename} » contient des caractères nuls : ce n'est pas un fichier texte ordinaire.")
    return text


def refuse_countless_fields(text: str, filename: str, limits: UploadLimits) -> None:
    """Refuse, before any splitting, a line holding far more separators than the column limit allows.

    Raises
    ------
    UploadError
        When a line holds more than ten times ``limits.max_columns`` of one separator.
    """
    guard = 10 * limits.max_columns
    for line in text.splitlines():
        if len(line) > guard and any(line.count(separator) > guard for separator in CSV_SEPARATORS):
            raise UploadError(
                f"« {filename} » a une ligne de plus de {guard} champs, bien au-delà de la limite de "
                f"{limits.max_columns} colonnes. Gardez seulement les colonnes utiles."
            )


def sniff_separator(text: str) -> str:
    """The separator that splits the most first lines into the same number (> 1) of fields.

    Examples
    --------
    >>> sniff_separator("Liste des lauréats\\n\\nnom,insee\\nA,01001\\n")
    ','
    """
    lines = [line for line in text.splitlines()[: SNIFF_LINES * 2] if line.strip()][:SNIFF_LINES]
    best, best_score = ";", (0, 0)
    for separator in CSV_SEPARATORS:
        try:
            widths = Counter(len(row) for row in csv.reader(lines, delimiter=separator) if len(row) > 1)
        except csv.Error:  # a cell beyond csv's field limit: not this separator
            continue
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if (count, width) > best_score:
            best, best_score = separator, (count, width)
    return best


def read_text_rows(
    text: str, separator: str, filename: str, limits: UploadLimits
) -> tuple[list[list[str]], list[int], int, list[int]]:
    """The non-blank rows of a text table (cells stripped), the line each starts on, how many there are,
    and the blank lines skipped between them (said to the user: nothing is dropped silently).

    Rows are kept up to the row limit plus a margin for title lines; beyond it they are only
    counted, so the message can say how many there are.

    Raises
    ------
    UploadError
        A line with far more fields than the column limit allows, or quotes that leave the rows
        irregular.
    """
    keep = limits.max_rows + SNIFF_LINES + 1
    rows: list[list[str]] = []
    lines: list[int] = []
    total, previous = 0, 0
    blanks: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True, skipinitialspace=True)
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            cells = [cell.strip() for cell in row]
            if not any(cells):
                if total:
                    blanks.append(start)
                continue
            total += 1
            if total <= keep:
                rows.append(cells)
                lines.append(start)
    except csv.Error as error:
        if "field limit" in str(error):
            raise UploadError(
                f"« {filename} » a une cellule de plus de {format_number(csv.field_size_limit())} caractères (ligne "
                f"{format_number(reader.line_num)}) : ce n'est pas une liste ordinaire. Vérifiez les guillemets."
            ) from error
        raise UploadError(
            f"« {filename} » ne se découpe pas en colonnes régulières avec le séparateur "
            f"{SEPARATOR_NAMES[separator]} (ligne {format_number(reader.line_num)} : {error}). Vérifiez les "
            "guillemets et le séparateur de chaque ligne."
        ) from error
    last = lines[-1] if lines else 0
    return rows, lines, total, [n for n in blanks if n < last]
