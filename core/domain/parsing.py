"""Reading values typed by people: French amounts, yes/no answers, dates, labels to compare."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_CURRENCY_RE = re.compile(r"€|\beur(?:os?)?\b|\b(?:HT|TTC)\b", re.IGNORECASE)
_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x", "ok"}
_FALSE = {"non", "n", "no", "faux", "false", "0"}
_DAY_FIRST = re.compile(r"(?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})")
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%y", "%Y-%m-%d %H:%M:%S")


class ValueParseError(ValueError):
    """A typed value cannot be read; the message quotes it and says what is expected."""


def normalise_label(text: object) -> str:
    """Lower case, no accents, single spaces: a key to compare column names and answers.

    Examples
    --------
    >>> normalise_label("  Code  INSEE ")
    'code insee'
    >>> normalise_label("Dépense_HT")
    'depense ht'
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_\-.'’]+", " ", ascii_text.lower()).strip()


def parse_amount(text: object) -> float | None:
    """A euro amount written the French way (or not); None when the cell is empty.

    Spaces (also non-breaking) and the currency are ignored; with both ``,`` and ``.`` the last
    one is the decimal mark; a single ``,`` or ``.`` followed by exactly three digits is refused
    as ambiguous (``150.000`` is 150 in Python but 150 000 in a French document). The sign is
    kept: whether a negative amount is acceptable is the caller's rule.

    Examples
    --------
    >>> parse_amount("150 000,50 €"), parse_amount("1.234.567,8"), parse_amount("20000"), parse_amount("")
    (150000.5, 1234567.8, 20000.0, None)

    Raises
    ------
    ValueParseError
        When the text is not a number, is a formula, or is ambiguous.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        return None
    if raw.startswith(("=", "+", "@")):
        raise ValueParseError(f"« {raw[:40]} » est une formule, pas un montant")
    value = re.sub(r"[\s\u00a0\u202f\u2009']", "", _CURRENCY_RE.sub("", raw))
    commas, dots = value.count(","), value.count(".")
    if commas and dots:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
        value = value.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif commas + dots > 1:
        value = value.replace(",", "").replace(".", "")
    elif commas + dots == 1:
        if re.fullmatch(r"-?\d{1,3}[.,]\d{3}", value):
            raise ValueParseError(
                f"« {raw[:40]} » est ambigu (séparateur de milliers ou décimal ?) : écrivez 150000 ou 150 000,00"
            )
        value = value.replace(",", ".")
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        raise ValueParseError(
            f"« {raw[:40]} » n'est pas un montant (attendu : un nombre, par exemple 20 000 ou 20000,50)"
        )
    return float(value)


def parse_bool(text: object, also_true: frozenset[str] = frozenset()) -> bool | None:
    """A yes/no answer (oui/non, vrai/faux, 1/0 — also as a spreadsheet's 1.0 —, x…); None when the cell is
    empty. ``also_true`` adds words that mean yes in one column (``fnt`` in a « FNT » column).

    Examples
    --------
    >>> parse_bool("Oui"), parse_bool("0.0"), parse_bool(""), parse_bool("FNT", frozenset({"fnt"}))
    (True, False, None, True)

    Raises
    ------
    ValueParseError
        When the answer is neither yes nor no.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        return None
    key = normalise_label(raw)
    if re.fullmatch(r"[01]\.0+", raw):
        key = raw[0]
    if key in _TRUE or key in also_true:
        return True
    if key in _FALSE:
        return False
    raise ValueParseError(f"« {raw} » n'est ni oui ni non")


def parse_date(text: object) -> date | None:
    """A date written ``30/03/2021``, ``2021-03-30``…; None when the cell is empty.

    Raises
    ------
    ValueParseError
        When the text is not a date in one of the accepted forms.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        return None
    # The two usual forms without strptime (ten times slower, and called once per row of a list).
    match = _DAY_FIRST.fullmatch(raw) or _ISO_DATE.fullmatch(raw)
    if match:
        day, month, year = match.group("d", "m", "y")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueParseError(f"« {raw} » n'est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)")
