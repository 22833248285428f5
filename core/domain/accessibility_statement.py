"""The accessibility statement (RGAA 4.1), following the official template of the DINUM.

What the dashboard does not meet is listed here once, with the criterion, why and what a user can
do instead; the page « Déclaration d'accessibilité » and the footer's mention read it. The status
stays « partiellement conforme » until an audit says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICE = "Fabriques de Territoire — tableau de bord des tiers-lieux soutenus par l'État"
RGAA_VERSION = "4.1"
COMPLIANCE = "partiellement conforme"
STATEMENT_DATE = "1er décembre 2026"
NOT_SET = "non renseigné"


@dataclass(frozen=True)
class NonConformity:
    """One thing that does not conform: the RGAA criterion, what, why, and what to do instead."""

    criterion: str
    what: str
    why: str
    instead: str


NON_CONFORMITIES: tuple[NonConformity, ...] = (
    NonConformity(
        "12.10 (raccourcis clavier)",
        "La touche « r » seule relance la page et la touche « c » seule vide le cache : ces raccourcis à une "
        "seule touche ne peuvent être ni désactivés ni modifiés.",
        "Ils sont définis par Streamlit, le cadre logiciel du tableau de bord, sans réglage pour les retirer.",
        "Ils n'agissent pas quand un champ de saisie a le focus ; relancer la page ne perd ni les filtres "
        "ni le travail enregistré (ils sont dans l'adresse de la page et dans « Mon espace »).",
    ),
    NonConformity(
        "1.1 et 7.1 (cartes)",
        "Sur les cartes interactives, les territoires, les quartiers et les tiers-lieux dessinés ne sont pas "
        "atteignables un à un au clavier.",
        "La bibliothèque cartographique (Leaflet) dessine ces formes en SVG sans les rendre focalisables.",
        "Chaque carte a à côté d'elle la liste de ses éléments (tableau téléchargeable) et la recherche d'un "
        "territoire par son nom ou son code ; les chiffres de la carte sont ceux des tableaux des pages.",
    ),
    NonConformity(
        "5.4 et 5.7 (tableaux de données)",
        "Les tableaux interactifs sont dessinés dans un canevas (composant de Streamlit) ; leur restitution "
        "par les lecteurs d'écran n'a pas été vérifiée.",
        "Le composant est celui de Streamlit ; aucun audit avec lecteur d'écran n'a encore été fait.",
        "Chaque tableau se télécharge en CSV et en Excel, lisibles par les lecteurs d'écran.",
    ),
    NonConformity(
        "13.3 (documents téléchargeables)",
        "Les exports PNG, SVG et PDF des graphiques et des cartes, et la présentation PowerPoint, n'ont pas de "
        "version balisée pour les technologies d'assistance.",
        "Ce sont des images des graphiques.",
        "Les données de chaque graphique se téléchargent en CSV et en Excel à côté de ses exports.",
    ),
)

TESTS = (
    "Aucun audit RGAA n'a encore été réalisé. Chaque version est contrôlée automatiquement : axe-core "
    "4.14 (règles WCAG 2.1 A et AA) dans Chromium, sur chaque page puis après un changement de filtre, "
    "dans la page et dans chacun de ses cadres, exige 0 violation grave ou critique ; le même test vérifie "
    "ce qu'axe ne voit pas : la langue française de la page et des cadres, un titre distinct par page, le "
    "texte et le tableau de chaque graphique, un parcours au clavier qui revient à son début, aucun nom "
    "accessible resté en anglais."
)

TECHNOLOGIES = ("HTML5", "CSS", "JavaScript", "SVG", "Streamlit", "Plotly", "Leaflet")
TEST_ENVIRONMENT = ("Chromium (paquet Debian) piloté par Playwright", "axe-core 4.14")

REMEDIES = (
    "Écrire un message au Défenseur des droits (formulaire en ligne sur defenseurdesdroits.fr)",
    "Contacter le délégué du Défenseur des droits dans votre région",
    "Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, "
    "Libre réponse 71120, 75342 Paris CEDEX 07",
)


def compute_statement_intro(publisher: str) -> str:
    """The statement's first paragraph, naming the publishing service (or saying it is not set).

    Examples
    --------
    >>> compute_statement_intro("").startswith("Le service éditeur (non renseigné)")
    True
    """
    who = publisher or f"Le service éditeur ({NOT_SET})"
    return (
        f"{who} s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la loi "
        f"n° 2005-102 du 11 février 2005. Cette déclaration d'accessibilité s'applique à : {SERVICE}."
    )


def compute_compliance_sentence() -> str:
    """The status sentence of the template.

    Examples
    --------
    >>> "partiellement conforme" in compute_compliance_sentence()
    True
    """
    return (
        f"Le tableau de bord est {COMPLIANCE} avec le référentiel général d'amélioration de l'accessibilité "
        f"(RGAA), version {RGAA_VERSION}, en raison des non-conformités énumérées ci-dessous."
    )


def compute_contact_sentence(contact: str) -> str:
    """How to reach the service when a content is not accessible."""
    where = contact or f"{NOT_SET} (le service qui déploie le tableau de bord le renseigne : variable FABT_CONTACT)"
    return (
        "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez le responsable du tableau de "
        f"bord pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : {where}."
    )
