"""The list of staging steps: which function stages which source, and with what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.domain.codes import CodeMap
from etl.report import StageLog
from etl.staging.classes import stage_commune_class
from etl.staging.cog import stage_cog_communes, stage_cog_epci, stage_cog_older_codes, stage_cog_table
from etl.staging.fabriques import stage_fabriques
from etl.staging.polygons import stage_admin_polygons, stage_commune_polygons
from etl.staging.programmes import PROGRAMMES, stage_programme
from etl.staging.qpv import stage_qpv, stage_qpv_indicators
from etl.staging.tiers_lieux import stage_tiers_lieux_2019

# A step gets the paths of its source's files, the code map and the expected communes.
Runner = Callable[[list[Path], CodeMap, set[str], StageLog], pd.DataFrame]


@dataclass(frozen=True)
class Step:
    """Stage ``source_id`` with ``run``; ``needs_cog`` adds the COG files to its cache key."""

    name: str
    source_id: str
    run: Runner
    needs_cog: bool = True
    extra_sources: tuple[str, ...] = field(default_factory=tuple)


def _class(code: str, value: str, sep: str = ",") -> Runner:
    return lambda p, cm, _e, log: stage_commune_class(p[0], code, value, cm, log, sep=sep)


def _programme(programme: str) -> Runner:
    return lambda p, cm, _e, log: stage_programme(p[0], programme, cm, log)


STEPS: tuple[Step, ...] = (
    Step("fabriques", "fabriques", lambda p, cm, _e, log: stage_fabriques(p[0], cm, log)),
    Step("qpv_2024", "qpv_2024", lambda p, cm, _e, log: stage_qpv(p[0], cm, log)),
    Step("qpv_indicateurs", "qpv_indicateurs", lambda p, _cm, _e, log: stage_qpv_indicators(p[0], log), False),
    Step(
        "communes_polygones",
        "communes_polygones_2018",
        lambda p, cm, e, log: stage_commune_polygons(p, cm, e, log),
    ),
    Step(
        "polygones_departements",
        "polygones_departements",
        lambda p, _cm, _e, log: stage_admin_polygons(p[0], "insee_dep", "lib_dep", log),
        False,
    ),
    Step(
        "polygones_regions",
        "polygones_regions",
        lambda p, _cm, _e, log: stage_admin_polygons(p[0], "insee_reg", "lib_reg", log),
        False,
    ),
    Step(
        "polygones_arrondissements",
        "polygones_arrondissements",
        lambda p, _cm, _e, log: stage_admin_polygons(p[0], "insee_arr", "lib_arr", log),
        False,
    ),
    Step("grille_densite", "grille_densite", _class("insee_com", "niveau_densite")),
    Step("typologie_ruralite", "typologie_ruralite", _class("insee_com", "niveau_ruralite")),
    Step("centralite", "centralite", _class("insee_com", "niveau_centralite")),
    Step("montagne", "montagne", _class("insee_com", "niveau_montagne")),
    Step("frr", "frr", _class("Code_insee", "Classement FRR et FRR+ au 10 juillet 2025", ";")),
    Step("tiers_lieux_2019", "tiers_lieux_2019", lambda p, cm, _e, log: stage_tiers_lieux_2019(p[0], cm, log)),
    Step("cog_epci", "cog_epci", lambda p, _cm, _e, log: stage_cog_epci(p[0], log), False),
    Step(
        "cog_departements",
        "cog_departements",
        lambda p, _cm, _e, log: stage_cog_table(p[0], log, "departements"),
        False,
    ),
    Step("cog_regions", "cog_regions", lambda p, _cm, _e, log: stage_cog_table(p[0], log, "regions"), False),
    Step(
        "cog_arrondissements",
        "cog_arrondissements",
        lambda p, _cm, _e, log: stage_cog_table(p[0], log, "arrondissements"),
        False,
    ),
    *(
        Step(
            f"prog_{prog}",
            f"prog_{prog}",
            _programme(prog),
        )
        for prog in PROGRAMMES
    ),
)

COG_STEPS = (
    ("cog_communes", stage_cog_communes),
    ("cog_older_codes", stage_cog_older_codes),
)
