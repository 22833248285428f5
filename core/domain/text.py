"""Cleaning of free text from the sources: names, HTML entities, e-mail addresses."""

from __future__ import annotations

import html
import re

from core.domain.parsing import normalise_label

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An HTML entity cut by a split on "; " leaves its start at the end of the previous piece.
_CUT_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,30}|#\d{1,7}|#x[0-9A-Fa-f]{1,6})$")
_SPACES_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^>]*>")
# A "{" that opens a Jinja delimiter: "{{", "{%" or "{#".
_TEMPLATE_OPENING_RE = re.compile(r"\{(?=[{%#])")
# A column holding one of these words is personal data: never read, never kept, never shown.
PERSONAL_WORDS = frozenset(
    {
        "contact",
        "contacts",
        "mail",
        "mails",
        "email",
        "emails",
        "courriel",
        "telephone",
        "tel",
        "phone",
        "portable",
        "mobile",
        "responsable",
        "referent",
        "referente",
        "interlocuteur",
        "prenom",
    }
)


def split_joined(text: str, separator: str = "; ") -> list[str]:
    """Split a field joined by ``separator`` without cutting HTML entities such as ``&amp;``.

    The ANCT file joins several names with ``"; "`` but some names hold ``&amp; ``: its
    ``;`` is the end of the entity, not a separator.

    Examples
    --------
    >>> split_joined("A &amp; B; C")
    ['A &amp; B', 'C']
    """
    pieces = text.split(separator)
    merged: list[str] = []
    for piece in pieces:
        if merged and _CUT_ENTITY_RE.search(merged[-1]):
            merged[-1] = merged[-1] + separator + piece
        else:
            merged.append(piece)
    return merged


def remove_emails(text: str) -> str:
    """Remove every e-mail address from ``text``."""
    return EMAIL_RE.sub("", text)


def clean_name(text: object) -> str:
    """Return a display-safe name: entities decoded, tags, e-mails and line breaks removed.

    Examples
    --------
    >>> clean_name("Ressources &amp; Compétences\\nmail x@y.fr")
    'Ressources & Compétences mail'
    """
    if text is None:
        return ""
    value = html.unescape(str(text))
    value = _TAG_RE.sub(" ", value)
    value = remove_emails(value)
    return _SPACES_RE.sub(" ", value).strip(" -;,:")


def has_email(text: object) -> bool:
    """Tell whether ``text`` holds something shaped like an e-mail address."""
    return bool(EMAIL_RE.search(str(text)))


def display_name(file_name: str) -> str:
    """A file name safe to show in Markdown, HTML titles and map controls (markup characters removed).

    Examples
    --------
    >>> display_name("<img src=x onerror=alert(1)>[a](javascript:x).csv")
    'img srcx onerroralert1ajavascriptx.csv'
    """
    kept = re.sub(r"[<>\[\]()*_`#|\\=:;\"'{}!~^$&%]", "", file_name).strip()
    return kept[:80] or "liste"


def escape_markup(value: str) -> str:
    """HTML-escape ``value`` and write its braces as entities: inert as HTML and as a Jinja template.

    Folium renders a map's elements, then compiles that output as Jinja templates once more when
    the map becomes a page (``get_root().render()``, the standalone HTML export): a name holding
    ``{{ … }}`` would be evaluated on the server. Entities display the same braces in a tooltip.

    Examples
    --------
    >>> escape_markup('<b>{{ 7*7 }}</b>')
    '&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;'
    """
    return html.escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")


_MARKDOWN_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&^%@\"'])")


def escape_markdown(value: object) -> str:
    """Text from data as Streamlit Markdown shows it literally: every punctuation sign that
    Markdown, Streamlit's colours (``:red[…]``), icons (``:material/…:``) or formulas (``$…$``)
    could read is backslash-escaped, line breaks become spaces.

    Examples
    --------
    >>> print(escape_markdown("[a](javascript:x) *gras* :red[b] $x$"))
    \\[a\\]\\(javascript\\:x\\) \\*gras\\* \\:red\\[b\\] \\$x\\$
    """
    return _MARKDOWN_RE.sub(r"\\\1", _SPACES_RE.sub(" ", str(value)))


def break_template_openings(json_text: str) -> str:
    """Write each ``{`` of JSON text that opens a Jinja delimiter as the escape ``\\u007b``.

    ``{{``, ``{%`` and ``{#`` can only occur inside a JSON string (an object opens with a key), where
    ``\\u007b`` reads ``{`` again: the data are unchanged and no longer a template.

    Examples
    --------
    >>> break_template_openings('{"nom":"{{ 7*7 }}","n":{"a":1}}')
    '{"nom":"\\\\u007b{ 7*7 }}","n":{"a":1}}'
    """
    return _TEMPLATE_OPENING_RE.sub(r"\\u007b", json_text)


def column_key(name: object) -> str:
    """A column name as it is compared: lower case, no accents, every punctuation a single space.

    Examples
    --------
    >>> column_key(" Montant total (€) "), column_key("N° vague"), column_key("E-mail"), column_key("Code_INSEE")
    ('montant total', 'n vague', 'e mail', 'code insee')
    """
    return re.sub(r"[^a-z0-9]+", " ", normalise_label(name)).strip()


def is_personal_column(name: object) -> bool:
    """Whether a column's name says it holds personal data (contact, e-mail, phone…).

    Examples
    --------
    >>> is_personal_column("Mail du porteur"), is_personal_column("E-mail"), is_personal_column("Adresse")
    (True, True, False)
    """
    key = column_key(name)
    return bool(set(key.split()) & PERSONAL_WORDS) or "e mail" in key
