"""The « Prochaine vague » slide, made from a computed plan (the page's own presentation export)."""

from __future__ import annotations

from core.domain.definitions import caption_for
from core.exports.deck import Slide
from core.viz.charts import make_plan_curve_figure

PLAN_SLIDE_TITLE = "Prochaine vague : où de nouvelles Fabriques combleraient le plus de manques"
METHOD_NOTE = (
    "Indicateur de manque, pas une recommandation : couverture maximale à vol d'oiseau depuis les centroïdes des "
    "communes ; ni temps de trajet, ni demande, ni projets, ni autres tiers-lieux que ceux comptés."
)


def build_plan_slides(curve, plan_sentence: str, wave_sentence: str, settings_line: str, exact=None) -> list[Slide]:
    """One slide: the curve of population reached against the number of sites, the plan and the 2023
    comparison in sentences, the settings and the method's limits in the presenter's notes.

    Parameters
    ----------
    curve : DataFrame
        :func:`core.analysis.planner.compute_plan_curve`.
    plan_sentence, wave_sentence : str
        :func:`core.analysis.planner.describe_plan` and ``WaveEvaluation.describe``.
    settings_line : str
        :func:`core.analysis.planner.describe_settings`.
    exact : tuple, optional
        ``(sites, value, bound)`` of the exact solution.
    """
    figure = make_plan_curve_figure(curve, "Habitants ciblés nouvellement à portée selon le nombre de sites", exact)
    return [
        Slide(
            PLAN_SLIDE_TITLE,
            [plan_sentence, wave_sentence, METHOD_NOTE],
            caption_for("fabriques", "population", "qpv_indicateurs", "densite", "frr"),
            f"{settings_line}. Les sites et populations viennent du tableau de bord, page « Prochaine vague ».",
            figure,
        )
    ]
