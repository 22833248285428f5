"""The State's design system (DSFR) colours the dashboard draws with, and the contrast rule they keep.

Tokens are those of ``@gouvfr/dsfr`` (light theme): bleu France for the main series and actions,
DSFR greys for text and borders, and three of its illustrative colours for the other series. Every
series colour is at least 3:1 against the background (WCAG 1.4.11); neighbouring series also differ
by a pattern (bars) or a dash (lines), since dark colours cannot all be 3:1 against one another.
"""

from __future__ import annotations

BLUE_FRANCE = "#000091"  # blue-france-sun-113
TEXT_TITLE = "#161616"  # grey-50 (titles)
TEXT_DEFAULT = "#3a3a3a"  # grey-200 (text, axes)
TEXT_MENTION = "#666666"  # grey-425 (mentions, 5.7:1 on white)
BORDER = "#dddddd"  # grey-900 (borders, grid lines)
BACKGROUND = "#ffffff"
BACKGROUND_ALT = "#f6f6f6"  # grey-975
# The series, in order: bleu France, then DSFR illustrative colours with 3:1 or more on white.
SERIES = ("#000091", "#a94645", "#006a6f", "#716043", "#6e445a")  # france, tuile, archipel, tournesol, glycine
PATTERNS = ("", "/", ".", "x", "-")  # second encoding of bar series, in the same order
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")  # second encoding of line series
FOCUS = "#0a76f6"  # DSFR focus ring


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    text = colour.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1), round(contrast_ratio("#3a3a3a", "#ffffff"), 1)
    (21.0, 11.4)
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
