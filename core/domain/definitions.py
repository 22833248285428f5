"""Definition, source and vintage of every figure the dashboard shows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Definition:
    """What a figure means and where it comes from."""

    label: str
    definition: str
    source: str
    vintage: str


SOURCES = {
    "fabriques": "ANCT, liste des Fabriques de Territoire (janvier 2024, codes ramenés au COG 2026)",
    "qpv": "ANCT, quartiers prioritaires 2024 (décret 2023-1314), contours simplifiés",
    "qpv_indicateurs": "INSEE / ANCT, indicateurs des QPV (millésime non documenté : indicatif)",
    "population": "INSEE, populations municipales (COG 2026)",
    "densite": "INSEE, grille communale de densité à 7 niveaux (COG 2025)",
    "ruralite": "ANCT / INSEE, typologie des campagnes (COG 2025)",
    "frr": "DGCL, classement France Ruralités Revitalisation du 10 juillet 2025",
    "cog": "INSEE, COG 2026 (communes, EPCI, arrondissements, départements, régions)",
    "programmes": "ANCT, PVD, ACV, Villages d'avenir, France services (2024)",
    "tiers_lieux_2019": "CGET, recensement national des tiers-lieux (2019)",
    "officiels": "Chiffres officiels publiés (ANCT, ministères, presse spécialisée), voir chaque ligne",
}

DEFINITIONS: dict[str, Definition] = {
    "fabriques": Definition(
        "Fabriques",
        "Fabriques de Territoire de la sélection (identifiants ANCT 1 à 382).",
        SOURCES["fabriques"],
        "2024",
    ),
    "communes": Definition(
        "Communes d'implantation",
        "Communes distinctes accueillant au moins une Fabrique.",
        SOURCES["fabriques"],
        "COG 2026",
    ),
    "departements": Definition(
        "Départements couverts",
        "Départements comptant au moins une Fabrique.",
        SOURCES["fabriques"],
        "COG 2026",
    ),
    "part_qpv_500": Definition(
        "Dans un QPV ou à moins de 500 m",
        "Part des Fabriques dont le point (centroïde de la commune) est dans un QPV 2024 ou à moins de "
        "500 m de son périmètre, distance mesurée en Lambert-93 (UTM locale outre-mer).",
        f"{SOURCES['fabriques']} ; {SOURCES['qpv']}",
        "QPV 2024",
    ),
    "part_rurale": Definition(
        "En commune rurale",
        "Part des Fabriques situées dans une commune rurale au sens de l'INSEE (grille de densité, niveaux 5 à 7).",
        SOURCES["densite"],
        "2025",
    ),
    "population_communes": Definition(
        "Population des communes d'implantation",
        "Somme des populations municipales des communes accueillant une Fabrique.",
        SOURCES["population"],
        "COG 2026",
    ),
    "financement_estime": Definition(
        "Financement (estimation)",
        "Estimation, faute de montants publiés par lieu : 150 000 € par Fabrique 2020-2021 (plafond de "
        "50 000 € par an sur trois ans, soit 45 M€ pour 300) et 50 000 € par Fabrique 2023.",
        "ANCT ; Préfecture de la Marne (2023)",
        "2020-2023",
    ),
    "pour_100k": Definition(
        "Fabriques pour 100 000 habitants",
        "Nombre de Fabriques de la sélection rapporté à la population municipale × 100 000.",
        f"{SOURCES['fabriques']} ; {SOURCES['population']}",
        "COG 2026",
    ),
    "distance_fabrique": Definition(
        "Distance à la Fabrique la plus proche",
        "Distance à vol d'oiseau entre le centroïde de la commune (ou le périmètre du QPV) et le point "
        "de la Fabrique la plus proche, dans le même territoire (métropole ou DROM).",
        f"{SOURCES['fabriques']} ; IGN Admin Express 2018",
        "2024",
    ),
    "population": Definition(
        "Population", "Population municipale des communes du territoire.", SOURCES["population"], "COG 2026"
    ),
    "fabriques_territoire": Definition(
        "Fabriques (sélection)", "Fabriques de la sélection situées dans le territoire.", SOURCES["fabriques"], "2024"
    ),
    "part_population_rurale": Definition(
        "Population rurale",
        "Part de la population vivant dans une commune rurale au sens de l'INSEE (densité 5 à 7).",
        f"{SOURCES['densite']} ; {SOURCES['population']}",
        "2025",
    ),
    "part_population_qpv": Definition(
        "Population en QPV",
        "Population des QPV 2024 dont la commune principale est dans le territoire, rapportée à "
        "sa population municipale (indicatif : millésime des populations de QPV non documenté).",
        f"{SOURCES['qpv_indicateurs']} ; {SOURCES['population']}",
        "QPV 2024",
    ),
    "gini": Definition(
        "Indice de Gini",
        "Concentration des Fabriques rapportées à la population entre territoires "
        "(0 = même taux partout, 1 = toutes dans un seul territoire).",
        f"{SOURCES['fabriques']} ; {SOURCES['population']}",
        "COG 2026",
    ),
    "hhi": Definition(
        "Indice de Herfindahl-Hirschman",
        "Somme des carrés des parts (en %) de Fabriques par "
        "territoire, de 0 à 10 000 ; ne tient pas compte de la population.",
        SOURCES["fabriques"],
        "2024",
    ),
    "arrondissements_sans_2020_2021": Definition(
        "Sans Fabrique 2020-2021",
        "Arrondissements (COG 2026) du périmètre sans Fabrique des vagues 2020-2021, toutes Fabriques comptées "
        "sans les autres filtres : le critère d'éligibilité de l'appel 2023, qui comptait 144 territoires "
        "éligibles (sous-préfectures) pour la France entière selon l'Avise.",
        SOURCES["fabriques"] + " ; " + SOURCES["cog"],
        "COG 2026",
    ),
    "arrondissements_dotes_2023": Definition(
        "Dont dotés d'une Fabrique en 2023",
        "Parmi les arrondissements sans Fabrique 2020-2021, ceux où se trouve une Fabrique de la cohorte 2023.",
        SOURCES["fabriques"] + " ; " + SOURCES["cog"],
        "COG 2026",
    ),
    "arrondissements_sans": Definition(
        "Encore sans Fabrique",
        "Arrondissements du périmètre sans aucune Fabrique, ni de 2020-2021 ni de 2023. Une Fabrique dont la "
        "commune a changé d'arrondissement depuis l'appel est comptée dans son arrondissement du COG 2026.",
        SOURCES["fabriques"] + " ; " + SOURCES["cog"],
        "COG 2026",
    ),
    "financement_fichier": Definition(
        "Financement (montants du fichier détaillé)",
        "Somme des montants attribués à chaque Fabrique, lus dans le fichier détaillé fourni à la construction "
        "des données (python -m etl build --fabriques-detail) ; aucun montant n'est estimé.",
        "ANCT, fichier détaillé des Fabriques (non publié)",
        "selon le fichier",
    ),
    "financement_mixte": Definition(
        "Financement (fichier détaillé et estimation)",
        "Somme des montants du fichier détaillé fourni à la construction des données, et, pour les Fabriques "
        "qu'il ne renseigne pas, de l'estimation : 150 000 € par Fabrique 2020-2021, 50 000 € par Fabrique 2023. "
        "La légende du chiffre dit combien de montants sont estimés.",
        "ANCT, fichier détaillé des Fabriques (non publié) ; ANCT ; Préfecture de la Marne (2023)",
        "2020-2023",
    ),
}


def compute_definitions_table() -> pd.DataFrame:
    """Every figure's label, definition, source and vintage, as the methods page lists them."""
    import pandas as pd

    rows = [
        {"indicateur": d.label, "définition": d.definition, "source": d.source, "millésime": d.vintage}
        for d in DEFINITIONS.values()
    ]
    return pd.DataFrame(rows)


def caption_for(*keys: str) -> str:
    """A caption naming the sources of the given source keys."""
    return "Sources : " + " ; ".join(SOURCES[k] for k in keys) + "."


# Definitions of the columns that exports carry in their "À propos" sheet.
COLUMN_DEFINITIONS: dict[str, str] = {
    "fabrique_id": "Identifiant ANCT de la Fabrique (fabt-N) : 1 à 300 cohorte 2020-2021, 301 à 382 cohorte 2023.",
    "nom": "Nom du lieu ou du porteur, nettoyé (entités HTML, retours à la ligne, adresses électroniques).",
    "cohort": "Cohorte : 2020-2021 (vagues 1 à 8) ou 2023.",
    "insee_com": "Code INSEE de la commune (COG 2026).",
    "nom_com": "Nom de la commune (COG 2026).",
    "insee_dep": "Code du département (COG 2026).",
    "nom_dep": "Nom du département.",
    "insee_reg": "Code de la région (COG 2026).",
    "nom_reg": "Nom de la région.",
    "insee_arr": "Code de l'arrondissement (COG 2026).",
    "nom_arr": "Nom de l'arrondissement.",
    "siren_epci": "SIREN de l'EPCI à fiscalité propre (2026).",
    "nom_epci": "Nom de l'EPCI.",
    "densite_libelle": "Niveau de la grille communale de densité de l'INSEE (7 niveaux, COG 2025).",
    "dans_qpv": "Le point de la Fabrique (centroïde de sa commune) est dans un QPV 2024 ou sur sa limite.",
    "distance_qpv_m": "Distance en mètres au QPV 2024 le plus proche (Lambert-93, UTM outre-mer).",
    "frr_classe": "Classement France Ruralités Revitalisation au 10 juillet 2025.",
    "code_qp": "Code du quartier prioritaire.",
    "lib_qp": "Nom du quartier prioritaire.",
    "noms_communes": "Communes du quartier prioritaire.",
    "pop_qpv": "Population municipale du QPV (millésime non documenté, indicatif).",
    "distance_fabrique_m": "Distance en mètres à la Fabrique la plus proche.",
    "population": "Population municipale (COG 2026).",
    "fabriques": "Nombre de Fabriques.",
    "fabriques_2020_2021": "Fabriques de la cohorte 2020-2021.",
    "fabriques_2023": "Fabriques de la cohorte 2023.",
    "fabriques_selection": "Fabriques de la sélection (filtres actifs).",
    "pour_100k": "Fabriques de la sélection pour 100 000 habitants.",
    "part_fabriques": "Part des Fabriques de la sélection dans la classe.",
    "part_population": "Part de la population dans la classe.",
    "part_communes": "Part des communes dans la classe.",
    "indice": "Part des Fabriques / part de la population (1 = proportionnel).",
    "part_couverte": "Part de la population des QPV à moins de la distance choisie d'une Fabrique.",
    "wave": "Vague lisible dans les données ouvertes : 1 pour les identifiants 1 à 80, vide sinon.",
    "vague": "Vague de sélection : celle du fichier détaillé quand il la donne et qu'elle s'accorde avec "
    "l'identifiant, sinon la règle des données ouvertes (1 pour les identifiants 1 à 80).",
    "montant": "Montant attribué en euros, lu dans le fichier détaillé ; vide quand il est inconnu.",
    "montant_source": "Origine du montant utilisé pour le financement : « fichier détaillé » ou « estimation ».",
    "adresse": "Adresse du lieu, lue dans le fichier détaillé (vide quand elle est inconnue).",
    "fnt": "Fabrique numérique de territoire, selon le fichier détaillé (vide quand c'est inconnu).",
    "ancien_code": "Code INSEE d'une commune ancienne, déléguée, associée ou d'un arrondissement municipal.",
}


# Région Sud
SOURCES["region_sud"] = "Paroles d'Élus / Région Sud, AMI Parcours Sud Smart Territoires, clôture 3 juin 2020"
DEFINITIONS.update(
    {
        "region_epci": Definition(
            "EPCI concernés",
            "EPCI à fiscalité propre (communautés de communes, d'agglomération, métropoles) comptant au moins "
            "une commune dans la région, périmètres du COG 2026.",
            SOURCES["cog"],
            "COG 2026",
        ),
        "region_epci_entiers": Definition(
            "Entièrement dans la région",
            "EPCI dont toutes les communes sont dans la région (les autres sont à cheval sur une région voisine).",
            SOURCES["cog"],
            "COG 2026",
        ),
        "region_population_epci": Definition(
            "Population des EPCI",
            "Population municipale de toutes les communes de ces EPCI, y compris celles situées hors de la région.",
            SOURCES["population"],
            "COG 2026",
        ),
        "region_fabriques_epci": Definition(
            "Fabriques dans ces EPCI",
            "Fabriques de Territoire (toutes cohortes, sans les filtres de la barre latérale) situées dans une "
            "commune de ces EPCI.",
            SOURCES["fabriques"],
            "2024",
        ),
        "region_enveloppe": Definition(
            "Enveloppe de l'appel",
            "Enveloppe globale d'investissement annoncée pour les premiers projets des intercommunalités "
            "candidates, après comité de sélection et vote des élus régionaux.",
            SOURCES["region_sud"],
            "2020",
        ),
    }
)
COLUMN_DEFINITIONS.update(
    {
        "type_epci": "Nature juridique de l'EPCI (CC, CA, CU, METRO).",
        "communes_region": "Communes de l'EPCI situées dans la région.",
        "entierement_dans_la_region": "Toutes les communes de l'EPCI sont dans la région.",
        "autres_regions": "Codes des autres régions où l'EPCI a des communes.",
        "population_region": "Population municipale des communes de l'EPCI situées dans la région.",
        "part_population_region": "Part de la population de l'EPCI vivant dans la région.",
        "population_urbain_dense": "Population des communes urbaines denses (grille de densité, niveau 1).",
        "population_urbain_intermediaire": "Population des communes urbaines intermédiaires (niveaux 2 à 4).",
        "population_rurale": "Population des communes rurales (grille de densité, niveaux 5 à 7).",
        "part_population_rurale": "Part de la population en commune rurale (niveaux 5 à 7).",
        "qpv_population": "Population des QPV 2024 des communes (millésime non documenté, indicatif).",
        "population_loin_fabrique": "Population des communes dont le centroïde est à plus de la distance choisie "
        "de toute Fabrique.",
        "tiers_lieux_2019": "Tiers-lieux du recensement de 2019 dans les communes.",
        "communes_pvd": "Communes du programme Petites villes de demain.",
        "communes_acv": "Communes du programme Action cœur de ville.",
        "montant_simule": "Montant simulé en euros entiers (total égal à l'enveloppe) : une simulation, pas un "
        "montant attribué.",
        "part_enveloppe": "Part de l'enveloppe du montant simulé.",
        "contraint": "Plancher ou plafond atteint par le montant simulé.",
    }
)


# Réseau des tiers-lieux: the Fabriques as hubs of the 2019 census, and the census match.
CENSUS_VINTAGE_NOTE = (
    "Le recensement date de 2019 : les tiers-lieux ouverts depuis n'y figurent pas, et une Fabrique ouverte "
    "après 2019 ne peut pas y être trouvée."
)
REACH_RULE = (
    "distance à vol d'oiseau entre le point de la Fabrique (centroïde de sa commune) et celui du tiers-lieu, "
    "mesurée en Lambert-93 (UTM locale outre-mer), dans le même territoire ; un lieu à exactement X km est à portée"
)
DEFINITIONS.update(
    {
        "reseau_tiers_lieux": Definition(
            "Tiers-lieux recensés du périmètre",
            "Tiers-lieux du recensement de 2019 situés dans une commune du périmètre. " + CENSUS_VINTAGE_NOTE,
            SOURCES["tiers_lieux_2019"],
            "2019",
        ),
        "reseau_fabriques_reliees": Definition(
            "Fabriques reliées",
            "Fabriques de la sélection ayant au moins un tiers-lieu recensé du périmètre à moins de X km ("
            + REACH_RULE
            + "). "
            + CENSUS_VINTAGE_NOTE,
            f"{SOURCES['fabriques']} ; {SOURCES['tiers_lieux_2019']}",
            "2019 (recensement) ; 2024 (Fabriques)",
        ),
        "reseau_fabriques_isolees": Definition(
            "Fabriques sans tiers-lieu autour",
            "Fabriques de la sélection sans aucun tiers-lieu recensé du périmètre à moins de X km ("
            + REACH_RULE
            + "). Des lieux ouverts après 2019 peuvent les entourer.",
            f"{SOURCES['fabriques']} ; {SOURCES['tiers_lieux_2019']}",
            "2019 (recensement) ; 2024 (Fabriques)",
        ),
        "reseau_sans_fabrique": Definition(
            "Tiers-lieux sans Fabrique",
            "Tiers-lieux recensés du périmètre sans aucune Fabrique de la sélection à moins de X km ("
            + REACH_RULE
            + "), et leur part des tiers-lieux recensés du périmètre. "
            + CENSUS_VINTAGE_NOTE,
            f"{SOURCES['fabriques']} ; {SOURCES['tiers_lieux_2019']}",
            "2019 (recensement) ; 2024 (Fabriques)",
        ),
        "recensement_trouvees": Definition(
            "Trouvées dans le recensement 2019",
            "Fabriques de la sélection dont le nom, normalisé (accents, casse, ponctuation, articles, formes "
            "juridiques et nom de la commune retirés), atteint un score de 90 sur 100 (rapidfuzz) avec un seul nom "
            "de tiers-lieu recensé dans leur commune : le lieu existait en 2019, avant son label. Une table corrigée "
            "par un analyste remplace ce rapprochement pour les Fabriques qu'elle contient. " + CENSUS_VINTAGE_NOTE,
            f"{SOURCES['fabriques']} ; {SOURCES['tiers_lieux_2019']}",
            "2019 (recensement) ; 2024 (Fabriques)",
        ),
        "recensement_a_verifier": Definition(
            "À vérifier",
            "Fabriques dont le rapprochement est incertain : score entre 75 et 90, deux lieux de noms différents à "
            "90 ou plus, mots distinctifs d'un nom tous contenus dans l'autre, ou accord sur des mots génériques "
            "seulement. Jamais comptées comme trouvées.",
            f"{SOURCES['fabriques']} ; {SOURCES['tiers_lieux_2019']}",
            "2019 (recensement) ; 2024 (Fabriques)",
        ),
        "recensement_non_trouvees": Definition(
            "Non trouvées",
            "Fabriques sans nom proche parmi les tiers-lieux recensés de leur commune, ou dont la commune n'en compte "
            "aucun. Non trouvée ne veut pas dire nouvelle : le lieu a pu échapper au recensement ou être listé sous "
            "le nom de son porteur (association, commune). " + CENSUS_VINTAGE_NOTE,
            f"{SOURCES['fabriques']} ; {SOURCES['tiers_lieux_2019']}",
            "2019 (recensement) ; 2024 (Fabriques)",
        ),
    }
)
COLUMN_DEFINITIONS.update(
    {
        "tl_id": "Identifiant du tiers-lieu dans le recensement de 2019.",
        "typologie": "Typologie du tiers-lieu dans le recensement de 2019 (dominante coworking, fablab…).",
        "tiers_lieux_a_portee": "Tiers-lieux recensés en 2019 du périmètre à moins de la distance choisie.",
        "coworking": "Dont tiers-lieux à dominante coworking.",
        "fablab": "Dont tiers-lieux à dominante fablab.",
        "typologie_non_renseignee": "Dont tiers-lieux sans typologie renseignée.",
        "plus_proche_m": "Distance en mètres au tiers-lieu recensé à portée le plus proche (vide : aucun).",
        "a_portee": "Tiers-lieux recensés à moins de la distance choisie d'au moins une Fabrique de la sélection.",
        "part_a_portee": "Part des tiers-lieux recensés à portée d'une Fabrique.",
        "sans_fabrique": "Tiers-lieux recensés sans Fabrique de la sélection à moins de la distance choisie.",
        "part_sans_fabrique": "Part des tiers-lieux recensés sans Fabrique à moins de la distance choisie.",
        "statut": "Rapprochement avec le recensement de 2019 : trouvée, à vérifier ou non trouvée.",
        "nom_recense": "Nom du tiers-lieu recensé en 2019 retenu pour la Fabrique.",
        "score": "Score de ressemblance des noms normalisés, de 0 à 100 (rapidfuzz).",
        "motif": "Raison du statut (seuils : 90 trouvée, 75 à vérifier).",
        "candidats": "Tiers-lieux recensés en 2019 dans la commune de la Fabrique.",
        "autre_tl_id": "Autre candidat : le suivant pour un rapprochement à vérifier, le plus proche sinon.",
        "autre_nom": "Nom de l'autre candidat.",
        "autre_score": "Score de l'autre candidat.",
        "origine": "Rapprochement automatique ou table corrigée par un analyste.",
        "cohorte": "Cohorte des Fabriques : 2020-2021 ou 2023.",
        "trouvees": "Fabriques trouvées dans le recensement de 2019.",
        "a_verifier": "Fabriques dont le rapprochement est à vérifier.",
        "non_trouvees": "Fabriques non trouvées dans le recensement de 2019.",
        "sans_tiers_lieu_commune": "Dont Fabriques d'une commune sans aucun tiers-lieu recensé en 2019.",
        "part_trouvees": "Part des Fabriques trouvées dans le recensement de 2019.",
    }
)


# Prochaine vague (planning the next wave)
_PLAN_SOURCES = f"{SOURCES['population']} ; {SOURCES['qpv_indicateurs']} ; {SOURCES['densite']} ; {SOURCES['frr']}"
_PLAN_TARGET = (
    "population ciblée : somme, sur les communes du périmètre, des populations choisies multipliées par leur poids "
    "— population des QPV 2024 (rattachée à la commune principale du QPV), population des communes rurales "
    "(grille de densité, niveaux 5 à 7), population des communes classées France Ruralités Revitalisation ; une "
    "commune rurale et classée FRR compte pour les deux"
)
DEFINITIONS.update(
    {
        "plan_population_ciblee": Definition(
            "Population ciblée du périmètre",
            _PLAN_TARGET[0].upper() + _PLAN_TARGET[1:] + ".",
            _PLAN_SOURCES,
            "COG 2026",
        ),
        "plan_deja_atteinte": Definition(
            "Déjà à portée",
            "Part de la population ciblée du périmètre dont la commune a son centroïde à moins de X km, à vol "
            "d'oiseau (Lambert-93, UTM locale outre-mer), d'un lieu compté comme existant.",
            f"{SOURCES['fabriques']} ; {_PLAN_SOURCES}",
            "2024",
        ),
        "plan_gagnee": Definition(
            "Population ciblée nouvellement à portée",
            "Population ciblée (pondérée) des communes du périmètre dont le centroïde passerait à moins de X km "
            "d'un lieu avec les sites proposés : un indicateur de manque comblé par un modèle de couverture "
            f"maximale, pas une fréquentation ni une recommandation ({_PLAN_TARGET}).",
            f"{SOURCES['fabriques']} ; {_PLAN_SOURCES}",
            "2024",
        ),
        "plan_ecart": Definition(
            "Écart à l'optimum",
            "Écart relatif entre la plus petite borne supérieure prouvée de l'optimum et la valeur du plan "
            "affiché : 0 % signifie que le plan est optimal (prouvé par HiGHS ou par la borne du glouton).",
            "Calcul du tableau de bord (glouton à évaluation paresseuse, programme en nombres entiers HiGHS)",
            "selon le calcul",
        ),
        "plan_vague_2023": Definition(
            "Fabriques 2023 : part de l'optimum",
            "Population ciblée que les Fabriques 2023 du périmètre ont mise à moins de X km, au-delà de ce que "
            "les Fabriques 2020-2021 atteignaient déjà, rapportée à celle du meilleur choix d'autant de sites "
            "parmi toutes les communes du périmètre, sous les mêmes règles, populations et distance.",
            f"{SOURCES['fabriques']} ; {_PLAN_SOURCES}",
            "2024",
        ),
    }
)
COLUMN_DEFINITIONS.update(
    {
        "rang": "Ordre du site dans le plan : chaque site atteint le plus de ce que les précédents laissent.",
        "site_candidat": "Ce qui fait de la commune un site candidat (toute commune, tiers-lieu 2019, PVD, ACV).",
        "regle": "Règles du programme qui rendent la commune éligible (QPV ou hors des grands centres urbains ; "
        "arrondissement sans Fabrique).",
        "population_ciblee_gagnee": "Population ciblée (pondérée) que le site met à portée en plus des sites "
        "précédents du plan.",
        "population_qpv_gagnee": "Population des QPV 2024 nouvellement à portée grâce au site (non pondérée).",
        "population_rurale_gagnee": "Population des communes rurales nouvellement à portée grâce au site.",
        "population_frr_gagnee": "Population des communes FRR nouvellement à portée grâce au site.",
        "communes_atteintes": "Communes de population ciblée nouvellement à portée grâce au site.",
        "population_ciblee_cumulee": "Population ciblée (pondérée) à portée des sites du plan jusqu'à celui-ci.",
        "sites": "Nombre de nouveaux sites.",
        "population_ciblee_atteinte": "Population ciblée (pondérée) nouvellement à portée des premiers sites.",
        "part_du_manque": "Part de la population ciblée du périmètre encore éloignée que ces sites mettent à "
        "portée (%).",
        "longitude": "Longitude (WGS 84) du point : centroïde de la commune, sauf coordonnées d'une liste importée.",
        "latitude": "Latitude (WGS 84) du point : centroïde de la commune, sauf coordonnées d'une liste importée.",
    }
)
