"""Links that reproduce a view: the page's address plus the query string."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode


def make_permalink(page_url: str | None, params: Mapping[str, str], fallback_path: str = "") -> str:
    """Join the page address and its parameters (sorted, so the same view gives the same link).

    Examples
    --------
    >>> make_permalink("http://h/carte", {"dep": "29", "cohorte": "2023"})
    'http://h/carte?cohorte=2023&dep=29'
    >>> make_permalink(None, {"dep": "29"}, "/carte")
    '/carte?dep=29'
    """
    base = page_url or fallback_path
    query = urlencode(sorted((k, v) for k, v in params.items() if v not in ("", None)))
    return f"{base}?{query}" if query else base
