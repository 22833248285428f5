"""Déclaration d'accessibilité (RGAA 4.1), after the DINUM's template."""

import streamlit as st

from core.domain.accessibility_statement import (
    NON_CONFORMITIES,
    REMEDIES,
    STATEMENT_DATE,
    TECHNOLOGIES,
    TEST_ENVIRONMENT,
    TESTS,
    compute_compliance_sentence,
    compute_contact_sentence,
    compute_statement_intro,
)
from core.settings import get_setting
from ui.bootstrap import ensure_navigation

ensure_navigation()

st.title("Déclaration d'accessibilité")
st.markdown(compute_statement_intro(get_setting("publisher")))

st.header("État de conformité")
st.markdown(compute_compliance_sentence())

st.header("Résultats des tests")
st.markdown(TESTS)

st.header("Contenus non accessibles")
st.subheader("Non-conformités")
for item in NON_CONFORMITIES:
    st.markdown(
        f"- **Critère {item.criterion}.** {item.what}  \n  *Pourquoi :* {item.why}  \n  *À la place :* {item.instead}"
    )
st.subheader("Dérogations pour charge disproportionnée")
st.markdown("Aucune.")
st.subheader("Contenus non soumis à l'obligation d'accessibilité")
st.markdown(
    "Les cartes interactives, dont l'information essentielle est donnée sous forme accessible à côté de "
    "chacune (liste de ses éléments, tableaux et recherche des territoires)."
)

st.header("Établissement de cette déclaration")
st.markdown(f"Cette déclaration a été établie le {STATEMENT_DATE}.")
st.markdown("**Technologies utilisées :** " + ", ".join(TECHNOLOGIES) + ".")
st.markdown("**Environnement de test :** " + " ; ".join(TEST_ENVIRONMENT) + ".")
st.markdown("**Pages vérifiées :** toutes les pages du tableau de bord, avec et sans filtre.")

st.header("Retour d'information et contact")
st.markdown(compute_contact_sentence(get_setting("contact")))

st.header("Voies de recours")
st.markdown(
    "Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une "
    "fonctionnalité, que vous le signalez et que vous ne parvenez pas à obtenir une réponse, vous pouvez :"
)
st.markdown("\n".join(f"- {remedy}" for remedy in REMEDIES))
