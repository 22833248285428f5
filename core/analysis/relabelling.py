"""New places or existing ones? Each Fabrique matched by name to the 2019 tiers-lieux census of its
commune.

The open data never say which Fabriques were already running as tiers-lieux before their label. A
Fabrique whose name is found among the census places of its commune existed in 2019, before the
first label (2020). One that is not found may be new, may have escaped the census (places declared
themselves in 2019), or may be listed under the name of its porteur (an association, a commune)
rather than of the place: « non trouvée » is not « nouvelle ».

The method, stated once here and quoted by the page:

- **Same commune.** Only the census places of the Fabrique's commune (COG 2026 code) are candidates.
- **Names normalised** (:func:`normalise_name`): HTML entities decoded, accents, case and punctuation
  dropped, ``&`` read « et », the small words (articles such as the « (La) » of « FABRIQUE DU COIN
  (La) », prepositions) and legal forms (association, SCIC, SCOP…) removed, and the words of the
  commune's name removed too: within one commune they say nothing of the place (« Tubà Mulhouse »
  and « HOPLA MULHOUSE » are two places).
- **Score** (:func:`score_names`, 0 to 100, rapidfuzz): the best of the word-order-free similarity
  (``token_sort_ratio``) and the similarity of the names written without spaces (« LAB 01 » and
  « LAB01 »).
- **Statuses** (thresholds below): « trouvée » when one place of the commune reaches
  :data:`SURE_SCORE` (two differently named places reaching it make the match « à vérifier »);
  « à vérifier » when the best score is between :data:`REVIEW_SCORE` and :data:`SURE_SCORE`, when
  the distinctive words of one name are all in the other (« Pangloss Labs » and « Pangloss Labs
  Ferney-Voltaire »), or when the names agree only on generic words (« Tiers-lieu »); « non
  trouvée » otherwise. A match « à vérifier » is never counted as found.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pandas as pd
from rapidfuzz import fuzz

from core.domain.formatting import format_number, format_percent

STATUS_FOUND = "trouvée"
STATUS_REVIEW = "à vérifier"
STATUS_NOT_FOUND = "non trouvée"
STATUSES = (STATUS_FOUND, STATUS_REVIEW, STATUS_NOT_FOUND)
ORIGIN_AUTOMATIC = "rapprochement automatique"
ORIGIN_CORRECTED = "table corrigée"

# Thresholds on the 0–100 score of score_names. At 90 and above two normalised names differ by at
# most a letter or two in twenty (« Syntaxe Erreur 2.0 » / « Syntaxe Error 2.0 »): the same place.
# From 75 to 90 they share most of their letters but not all (« IF Imaginations Fertiles Métropole »
# / « IF Les Imaginations Fertiles »): a person decides. Below 75 the pairs met in the real data are
# different places sharing a word (« Cœur de Bastide » / « La Bastide numérique »).
SURE_SCORE = 90.0
REVIEW_SCORE = 75.0

# Words that say nothing of which place it is: articles, prepositions, legal forms.
SMALL_WORDS = frozenset(
    {
        *("le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "et", "en", "au", "aux", "a", "pour", "sur"),
        *("par", "chez", "association", "associations", "asso", "scic", "scop", "scoparl", "sarl", "sas", "sa"),
        *("epcc", "gip"),
    }
)
# Words many places share: names made only of them are never a sure match.
GENERIC_WORDS = frozenset(
    {
        *("tiers", "lieu", "lieux", "fablab", "fab", "lab", "labs", "coworking", "cowork", "espace", "espaces"),
        *("fabrique", "fabriques", "numerique", "atelier", "ateliers", "partage", "partages", "maison", "pole"),
        "centre",
    }
)
MATCH_METHOD_NOTE = (
    "- **Même commune.** Seuls les tiers-lieux recensés en 2019 dans la commune de la Fabrique (code COG 2026) "
    "sont candidats.\n"
    "- **Noms normalisés** : entités HTML décodées, accents, casse et ponctuation retirés, « & » lu « et », petits "
    "mots (articles comme le « (La) » de « FABRIQUE DU COIN (La) », prépositions) et formes juridiques "
    "(association, SCIC, SCOP…) retirés, ainsi que les mots du nom de la commune, qui ne distinguent pas deux "
    "lieux d'une même commune.\n"
    "- **Score** de 0 à 100 (bibliothèque rapidfuzz) : le meilleur de la ressemblance sans tenir compte de "
    "l'ordre des mots et de celle des noms écrits sans espaces (« LAB 01 » et « LAB01 »).\n"
    f"- **Trouvée** : un tiers-lieu de la commune atteint {SURE_SCORE:g} (si deux lieux de noms différents "
    "l'atteignent, le rapprochement est à vérifier). **À vérifier** : meilleur score entre "
    f"{REVIEW_SCORE:g} et {SURE_SCORE:g}, mots distinctifs d'un nom tous présents dans l'autre, ou accord sur "
    "des mots génériques seulement (tiers-lieu, fablab…) ; jamais compté comme trouvé. **Non trouvée** sinon.\n"
    "- **Lecture.** Trouvée : le lieu existait en 2019, avant son label. Non trouvée ne veut pas dire nouvelle : "
    "le lieu a pu échapper au recensement, ouvrir après 2019, ou être listé sous le nom de son porteur "
    "(association, commune). Les données ouvertes ne disent pas quelles Fabriques existaient déjà.\n"
    "- **Correction.** La table de rapprochement se télécharge, se corrige (colonnes « statut » et « tl_id ») et "
    "se redépose : ses lignes valides remplacent le rapprochement automatique pour la session."
)
MATCH_COLUMNS = [
    "fabrique_id",
    "nom",
    "cohort",
    "insee_com",
    "nom_com",
    "statut",
    "tl_id",
    "nom_recense",
    "score",
    "motif",
    "candidats",
    "autre_tl_id",
    "autre_nom",
    "autre_score",
    "origine",
]
_WORD_RE = re.compile(r"[a-z0-9]+")
# Characters read as a word break or a letter before accents are dropped (NFKD drops ’ and œ).
_BEFORE_ASCII = str.maketrans({"’": " ", "‘": " ", "«": " ", "»": " ", "œ": "oe", "Œ": "oe", "æ": "ae", "@": "a"})


class MatchInputError(ValueError):
    """A frame given to the matching lacks a column it needs."""


def _words(text: object) -> list[str]:
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return []
    value = html.unescape(str(text)).translate(_BEFORE_ASCII).replace("&", " et ")
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return _WORD_RE.findall(value)


def normalise_name(name: object, commune: object = "") -> str:
    """A place's name as it is compared (see the module's method).

    The words of ``commune`` are dropped, unless nothing else would remain.

    Examples
    --------
    >>> normalise_name("La Fabrique du Coin"), normalise_name("FABRIQUE DU COIN (La)")
    ('fabrique coin', 'fabrique coin')
    >>> normalise_name("SCIC L’Établi &amp; Cie"), normalise_name("Tubà Mulhouse", "Mulhouse")
    ('etabli cie', 'tuba')
    >>> normalise_name("Mulhouse", "Mulhouse")
    'mulhouse'
    """
    words = [w for w in _words(name) if w not in SMALL_WORDS]
    commune_words = set(_words(commune))
    kept = [w for w in words if w not in commune_words]
    return " ".join(kept or words)


def score_names(left: str, right: str) -> float:
    """Similarity of two normalised names, 0 to 100 (see the module's method).

    Examples
    --------
    >>> score_names("fabrique coin", "coin fabrique"), score_names("lab 01", "lab01"), score_names("", "x")
    (100.0, 100.0, 0.0)
    """
    if not left or not right:
        return 0.0
    return float(max(fuzz.token_sort_ratio(left, right), fuzz.ratio(left.replace(" ", ""), right.replace(" ", ""))))


def words_contained(left: str, right: str) -> bool:
    """Whether every word of the shorter name is in the other, one of them not generic.

    Examples
    --------
    >>> words_contained("pangloss labs", "pangloss labs ferney"), words_contained("fablab", "fablab coin")
    (True, False)
    """
    a, b = set(left.split()), set(right.split())
    if not a or not b or a == b:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small <= large and bool(small - GENERIC_WORDS)


def is_generic(name: str) -> bool:
    """Whether a normalised name is made only of :data:`GENERIC_WORDS`."""
    return bool(name) and set(name.split()) <= GENERIC_WORDS


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MatchInputError(
            f"the {name} frame lacks column(s) {', '.join(missing)} (it has {', '.join(map(str, frame.columns))}); "
            "pass the fabriques and tiers_lieux_2019 marts (python -m etl build)"
        )


def _decide(name: str, candidates: list[tuple[float, str, str, str]]) -> dict[str, object]:
    """The status of one Fabrique from its scored candidates ``(score, tl_id, nom, normalised)``,
    best first."""
    none = {"tl_id": pd.NA, "nom_recense": pd.NA, "score": float("nan")}
    if not candidates:
        return {**none, "statut": STATUS_NOT_FOUND, "motif": "aucun tiers-lieu recensé dans la commune en 2019"}
    best = candidates[0]
    sure = [c for c in candidates if c[0] >= SURE_SCORE and not is_generic(c[3]) and not is_generic(name)]
    chosen, rival, status, reason = best, None, STATUS_REVIEW, ""
    if sure:
        chosen = sure[0]
        rival = next((c for c in sure if c[3] != chosen[3]), None)
        if rival is None:
            status = STATUS_FOUND
            same = len(sure)
            reason = f"score ≥ {SURE_SCORE:g}" + (f" ({same} lieux recensés de ce nom)" if same > 1 else "")
        else:
            reason = f"deux lieux de noms différents atteignent {SURE_SCORE:g}"
    elif best[0] >= SURE_SCORE:
        reason = "les noms ne s'accordent que sur des mots génériques (tiers-lieu, fablab…)"
    elif best[0] >= REVIEW_SCORE:
        reason = f"score entre {REVIEW_SCORE:g} et {SURE_SCORE:g}"
    else:
        contained = next((c for c in candidates if words_contained(name, c[3])), None)
        if contained is not None:
            chosen = contained
            reason = "les mots distinctifs d'un des noms sont tous dans l'autre"
        else:
            status = STATUS_NOT_FOUND
            reason = f"aucun nom proche parmi les {len(candidates)} tiers-lieux recensés dans la commune"
    if status != STATUS_FOUND and rival is None:
        rival = next((c for c in candidates if c is not chosen), None)
    out = {"statut": status, "motif": reason}
    if status == STATUS_NOT_FOUND:
        out.update(none)
        rival = best
    else:
        out.update({"tl_id": chosen[1], "nom_recense": chosen[2], "score": round(chosen[0], 1)})
    out.update(
        {
            "autre_tl_id": rival[1] if rival else pd.NA,
            "autre_nom": rival[2] if rival else pd.NA,
            "autre_score": round(rival[0], 1) if rival else float("nan"),
        }
    )
    return out


def compute_matches(fabriques: pd.DataFrame, census: pd.DataFrame) -> pd.DataFrame:
    """Match each Fabrique to the census places of its commune by name.

    Parameters
    ----------
    fabriques : DataFrame
        ``fabrique_id, nom, insee_com`` and, when present, ``cohort, nom_com``.
    census : DataFrame
        The ``tiers_lieux_2019`` mart: ``tl_id, nom, insee_com``.

    Returns
    -------
    DataFrame
        :data:`MATCH_COLUMNS`, one row per Fabrique in the order given: ``statut`` (one of
        :data:`STATUSES`), the place retained (``tl_id``, ``nom_recense``, ``score``; empty when
        not found), why (``motif``), how many census places the commune has (``candidats``), the
        next candidate, or for a place not found the closest name (``autre_*``), and
        ``origine`` (:data:`ORIGIN_AUTOMATIC`).
    """
    _require(fabriques, ("fabrique_id", "nom", "insee_com"), "fabriques")
    _require(census, ("tl_id", "nom", "insee_com"), "census")
    by_commune: dict[str, list[tuple[str, str]]] = {}
    for tl_id, nom, code in zip(census["tl_id"], census["nom"], census["insee_com"], strict=True):
        if isinstance(code, str):
            by_commune.setdefault(code, []).append((tl_id, nom))
    cohort = fabriques["cohort"] if "cohort" in fabriques.columns else pd.Series(pd.NA, index=fabriques.index)
    commune = fabriques["nom_com"] if "nom_com" in fabriques.columns else pd.Series("", index=fabriques.index)
    rows = []
    for fid, nom, code, coh, com in zip(
        fabriques["fabrique_id"], fabriques["nom"], fabriques["insee_com"], cohort, commune, strict=True
    ):
        name = normalise_name(nom, com)
        places = by_commune.get(code, []) if isinstance(code, str) else []
        scored = []
        for tl_id, tl_nom in places:
            other = normalise_name(tl_nom, com)
            scored.append((score_names(name, other), tl_id, tl_nom, other))
        scored.sort(key=lambda c: (-c[0], str(c[1])))
        rows.append(
            {
                "fabrique_id": fid,
                "nom": nom,
                "cohort": coh,
                "insee_com": code,
                "nom_com": com,
                **_decide(name, scored),
                "candidats": len(places),
                "origine": ORIGIN_AUTOMATIC,
            }
        )
    out = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    return out.astype({"candidats": "int64", "score": float, "autre_score": float})


def compute_match_report(matches: pd.DataFrame) -> pd.DataFrame:
    """Fabriques found in the 2019 census, to check and not found, by cohort, with a total.

    Returns
    -------
    DataFrame
        ``cohorte, fabriques, trouvees, a_verifier, non_trouvees, sans_tiers_lieu_commune`` (not
        found in a commune without any census place), ``part_trouvees`` (in [0, 1]).

    Examples
    --------
    >>> m = pd.DataFrame({"cohort": ["2023", "2023", "2020-2021"], "statut": [STATUS_FOUND, STATUS_REVIEW,
    ...                   STATUS_NOT_FOUND], "candidats": [2, 1, 0]})
    >>> compute_match_report(m)[["cohorte", "trouvees", "a_verifier", "non_trouvees"]].values.tolist()
    [['2020-2021', 0, 0, 1], ['2023', 1, 1, 0], ['Total', 1, 1, 1]]
    """
    cohort = matches["cohort"].fillna("non renseignée").astype(str)
    frame = pd.DataFrame(
        {
            "cohorte": cohort.to_numpy(),
            "trouvees": matches["statut"].eq(STATUS_FOUND).to_numpy(dtype="int64"),
            "a_verifier": matches["statut"].eq(STATUS_REVIEW).to_numpy(dtype="int64"),
            "non_trouvees": matches["statut"].eq(STATUS_NOT_FOUND).to_numpy(dtype="int64"),
        }
    )
    frame["sans_tiers_lieu_commune"] = frame["non_trouvees"] * matches["candidats"].eq(0).to_numpy(dtype="int64")
    out = frame.groupby("cohorte").sum()
    out.insert(0, "fabriques", frame.groupby("cohorte").size())
    out.loc["Total"] = out.sum()
    out = out.reset_index()
    out["part_trouvees"] = out["trouvees"] / out["fabriques"].where(out["fabriques"] > 0)
    return out


def describe_match_report(report: pd.DataFrame) -> str:
    """The total line of :func:`compute_match_report` in a sentence (French).

    Examples
    --------
    >>> report = pd.DataFrame({"cohorte": ["Total"], "fabriques": [4], "trouvees": [1], "a_verifier": [1],
    ...                        "non_trouvees": [2], "sans_tiers_lieu_commune": [1], "part_trouvees": [0.25]})
    >>> print(describe_match_report(report))  # doctest: +NORMALIZE_WHITESPACE
    1 Fabrique sur 4 (25,0\\xa0%) porte le nom d’un tiers-lieu recensé en 2019 dans sa commune : elle existait
    avant son label ; 1 à vérifier ; 2 non trouvées, dont 1 dans une commune sans aucun tiers-lieu recensé.
    """
    total = report.set_index("cohorte").loc["Total"]
    found, n = int(total["trouvees"]), int(total["fabriques"])
    review, missing, empty = (int(total[c]) for c in ("a_verifier", "non_trouvees", "sans_tiers_lieu_commune"))
    if found == 0:
        head = f"Aucune Fabrique sur {format_number(n)} ne porte le nom d’un tiers-lieu recensé en 2019 dans sa commune"
    elif found == 1:
        head = (
            f"1 Fabrique sur {format_number(n)} ({format_percent(total['part_trouvees'])}) porte le nom d’un "
            "tiers-lieu recensé en 2019 dans sa commune : elle existait avant son label"
        )
    else:
        head = (
            f"{format_number(found)} Fabriques sur {format_number(n)} ({format_percent(total['part_trouvees'])}) "
            "portent le nom d’un tiers-lieu recensé en 2019 dans leur commune : elles existaient avant leur label"
        )
    plural = "s" if missing > 1 else ""
    return (
        f"{head} ; {format_number(review)} à vérifier ; {format_number(missing)} non trouvée{plural}, dont"
        f" {format_number(empty)} dans une commune sans aucun tiers-lieu recensé."
    )
