"""Mentions légales and données personnelles: what the dashboard publishes, keeps and sends.

Written from what the code does: personal data of the sources never reach a mart, a page or an
export (``etl/validate.py`` refuses them); the workspace keeps its users' saved work under the
name they work as; no analytics, no third-party requests (Leaflet, Marianne and axe-core are
served by the dashboard itself).
"""

from __future__ import annotations

from core.domain.accessibility_statement import NOT_SET

LICENCE = (
    "Les données affichées viennent de sources publiques ouvertes (voir « Données et méthodes » : adresse, "
    "millésime et licence de chaque fichier) ; les chiffres calculés par le tableau de bord sont réutilisables "
    "aux mêmes conditions, en citant la source. Le code de la police Marianne et du système de design de "
    "l'État est sous licence Etalab 2.0, son usage est réservé aux services de l'État."
)

PERSONAL_DATA = (
    "Les sources contiennent des adresses électroniques et des noms de contacts des lieux : ils sont retirés "
    "à la construction des données et n'apparaissent dans aucune table, page ni export (la construction "
    "échoue si une colonne personnelle subsiste).",
    "Sans connexion (mode intégré), le tableau de bord ne connaît pas ses utilisateurs : le travail "
    "enregistré l'est au nom « utilisateur local », dans une base SQLite du serveur.",
    "En mode équipe, la connexion passe par le fournisseur d'identité de votre organisation (OpenID "
    "Connect) : le tableau de bord reçoit votre adresse électronique et la garde pour signer ce que vous "
    "enregistrez et le journal des actions de l'espace partagé (création, partage, suppression). Ces "
    "traces sont gardées tant que l'élément existe ; un élément supprimé est effacé définitivement après "
    "30 jours dans la corbeille.",
    "Les listes que vous importez sont lues sur le serveur ; leurs colonnes personnelles (adresses "
    "électroniques, noms de contacts, téléphones) sont écartées avant tout enregistrement.",
)

COOKIES = (
    "Le tableau de bord ne dépose aucun traceur de mesure d'audience ni cookie publicitaire et n'appelle "
    "aucun service tiers depuis votre navigateur. Streamlit dépose un cookie technique de protection contre "
    "la falsification de requêtes ; en mode équipe, un cookie de session garde votre connexion. Ces "
    "cookies strictement nécessaires ne demandent pas de consentement."
)


def compute_publisher_sentence(publisher: str, contact: str) -> str:
    """Who publishes the dashboard and how to reach them, or what is not set yet.

    Examples
    --------
    >>> compute_publisher_sentence("", "").count("non renseigné")
    2
    """
    return (
        f"Éditeur : {publisher or NOT_SET + ' (variable FABT_EDITEUR)'}. "
        f"Contact : {contact or NOT_SET + ' (variable FABT_CONTACT)'}. "
        "L'hébergement est celui du serveur où le service éditeur déploie le tableau de bord."
    )


def compute_rights_sentence(contact: str) -> str:
    """The data-protection rights (RGPD) and where to exercise them."""
    where = contact or f"le service éditeur ({NOT_SET})"
    return (
        "Vous pouvez accéder aux données qui vous concernent, les faire rectifier ou effacer, ou vous opposer "
        f"à leur traitement, auprès de {where} ; vous pouvez aussi adresser une réclamation à la CNIL."
    )
