"""Reading values typed by people: French amounts, yes/no answers, dates, labels to compare."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_AMOUNT_JUNK = re.compile(r"[\s\u00a0\u202f€]|eur(os?)?$|ht$|ttc$", re.IGNORECASE)
_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x", "ok"}
_FALSE = {"non", "n", "no", "faux", "false", "0"}
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
    """A euro amount written the French or the English way; None when the cell is empty.

    Examples
    --------
    >>> parse_amount("150 000,50 €"), parse_amount("1,234.5"), parse_amount("20000"), parse_amount("")
    (150000.5, 1234.5, 20000.0, None)

    Raises
    ------
    ValueParseError
        When the text is not a number.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        return None
    value = _AMOUNT_JUNK.sub("", raw)
    if "," in value and "." in value:
        # The last separator is the decimal one: "1.234,5" (French) or "1,234.5" (English).
        value = (
            value.replace(".", "").replace(",", ".") if value.rfind(",") > value.rfind(".") else value.replace(",", "")
        )
    elif "," in value:
        head, _, tail = value.rpartition(",")
        value = (
            value.replace(",", "")
            if len(tail) == 3 and head.replace(",", "").isdigit() and value.count(",") > 1
            else value.replace(",", ".")
        )
    try:
        return float(value)
    except ValueError as error:
        raise ValueParseError(
            f"« {raw} » n'est pas un montant (attendu : un nombre, par exemple 20 000 ou 20000,50)"
        ) from error


def parse_bool(text: object) -> bool | None:
    """A yes/no answer (oui/non, 1/0, x…); None when the cell is empty.

    Raises
    ------
    ValueParseError
        When the answer is neither yes nor no.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        return None
    key = normalise_label(raw)
    if key in _TRUE:
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
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueParseError(f"« {raw} » n'est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)")
