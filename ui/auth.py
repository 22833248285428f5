"""Sign-in and roles: who is working, and what they may do.

Embedded default: no sign-in, one local user (:data:`LOCAL_USER`), allowed to upload and save. Team
mode: OpenID Connect through Streamlit's own ``st.login`` / ``st.user``, configured by an ``[auth]``
section of ``.streamlit/secrets.toml`` (ProConnect or any OIDC provider; see the README); the role
of each signed-in address comes from the roles file (setting ``roles_file``, :mod:`core.access`).
:func:`require_sign_in` runs first in every run of the dashboard: without a signed-in user with a
role, nothing else of the app runs (pages, exports, saved items).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from core.access import WHAT_ROLES_ALLOW, Role, RolesConfig, RolesFileError, load_roles, require_role
from core.domain.text import escape_markdown
from core.settings import get_setting

LOCAL_USER = "utilisateur local"
LOCAL_ROLE = Role.CONTRIBUTEUR
ROLES_CHECK_S = 30  # the roles file is also read again this often (a file replaced with the same time)


class SignInRequired(PermissionError):
    """Sign-in is on and nobody is signed in in this session."""


def _auth_section() -> Mapping | None:
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets file at all
        return None
    return section if isinstance(section, Mapping) and section else None


def auth_enabled() -> bool:
    """Whether sign-in is on: setting ``sign_in`` (``FABT_SIGN_IN``) ``on``, or ``auto`` (the default)
    with an ``[auth]`` section in the secrets; ``off`` is the embedded mode, one local user."""
    setting = get_setting("sign_in")
    if setting == "off":
        return False
    return setting == "on" or _auth_section() is not None


@st.cache_resource(ttl=ROLES_CHECK_S, show_spinner=False, max_entries=4)
def _roles(path: str, mtime: int) -> RolesConfig:  # keyed on the file's time: an edit applies at once
    return load_roles(path)


def roles_config() -> RolesConfig:
    """The roles file of the deployment (re-read when it changes).

    Raises
    ------
    RolesFileError
        Missing or malformed (the message says what to write).
    """
    path = Path(get_setting("roles_file"))
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    return _roles(str(path), mtime)


def role_of(email: str | None) -> Role:
    """The role of a signed-in address, from the roles file."""
    return roles_config().role_of(email)


def _signed_in_email() -> str | None:
    if not st.user.get("is_logged_in"):
        return None
    email = st.user.get("email")
    return str(email).strip().lower() if email else None


def current_user() -> str:
    """Who is working: the signed-in address (lower case), or the local user without sign-in.

    Raises
    ------
    SignInRequired
        Sign-in is on and nobody is signed in (:func:`require_sign_in` stops such runs first).
    """
    if not auth_enabled():
        return LOCAL_USER
    email = _signed_in_email()
    if email is None:
        raise SignInRequired("Connectez-vous pour utiliser le tableau de bord.")
    return email


def current_role() -> Role:
    """The role of who is working (:data:`LOCAL_ROLE` without sign-in; ``aucun`` when the roles file
    cannot be read: nobody gets rights from a broken file)."""
    if not auth_enabled():
        return LOCAL_ROLE
    try:
        return role_of(_signed_in_email())
    except RolesFileError:
        return Role.AUCUN


def may(needed: Role) -> bool:
    """Whether who is working has ``needed`` or a higher role."""
    return current_role() >= needed


def is_admin() -> bool:
    """Whether who is working manages everyone's items and reads the audit log."""
    return may(Role.ADMIN)


def check_may(needed: Role, action: str) -> None:
    """Raise :class:`core.access.AccessDenied` (message in French) unless who is working may ``action``."""
    require_role(current_role(), needed, action)


def allow_upload(action: str) -> bool:
    """Whether who is working may upload a file here; if not, say why (in place of the uploader)."""
    if may(Role.CONTRIBUTEUR):
        return True
    st.info(
        f"Votre rôle ({current_role().label}) permet de consulter, pas {action} : il faut le rôle contributeur "
        "(demandez-le à l'administrateur du déploiement).",
        icon=":material/lock:",
    )
    return False


def _providers(section: Mapping) -> list[str]:
    """The named providers of ``[auth.<name>]`` (none: the provider is set in ``[auth]`` itself)."""
    return [name for name, value in section.items() if isinstance(value, Mapping)]


def _render_sign_in(section: Mapping | None) -> None:
    st.title("Fabriques de Territoire")
    st.markdown(
        "Ce tableau de bord est réservé aux équipes du déploiement : **connectez-vous** pour consulter les pages, "
        "les exports et le travail enregistré."
    )
    if section is None:
        st.error(
            "La connexion est demandée (FABT_SIGN_IN=on) mais aucune section [auth] n'est configurée dans "
            ".streamlit/secrets.toml : voir « Déploiement en équipe » dans le README.",
            icon=":material/error:",
        )
        return
    providers = _providers(section) or [None]
    for provider in providers:
        label = "Se connecter" if provider is None else f"Se connecter avec {provider.capitalize()}"
        if provider == "proconnect":
            label = "S'identifier avec ProConnect"
        if st.button(label, type="primary", key=f"connexion_{provider or 'oidc'}", icon=":material/login:"):
            st.login(provider)


def navigation_position() -> str:
    """Where the pages' menu goes: hidden while a visitor is not signed in with a role."""
    if not auth_enabled():
        return "sidebar"
    return "sidebar" if current_role() > Role.AUCUN else "hidden"


def require_sign_in() -> None:
    """With sign-in on: stop the run with the sign-in screen unless a user with a role is signed in
    (first thing of every run of the dashboard). Without sign-in: nothing."""
    if not auth_enabled():
        return
    if _signed_in_email() is None:
        _render_sign_in(_auth_section())
        st.stop()
    try:
        role = role_of(_signed_in_email())
    except RolesFileError as error:
        st.error(f"Les rôles du déploiement ne peuvent pas être lus : {error}", icon=":material/error:")
        st.button("Se déconnecter", on_click=st.logout, key="deconnexion_erreur")
        st.stop()
    if role is Role.AUCUN:
        st.title("Accès non autorisé")
        st.error(
            f"L'adresse {escape_markdown(_signed_in_email() or '')} n'a pas accès à ce tableau de bord : demandez un "
            "rôle (lecteur, contributeur ou admin) à l'administrateur du déploiement.",
            icon=":material/lock:",
        )
        st.button("Se déconnecter", on_click=st.logout, key="deconnexion_refus")
        st.stop()


def render_identity() -> None:
    """Who is signed in and their role, with « Se déconnecter »; or that the app runs in local mode."""
    # Grey text rather than a caption: each page's own first caption stays the first of the page.
    with st.sidebar:
        if not auth_enabled():
            st.markdown(":gray[Mode local, sans connexion : un seul utilisateur, à qui tout appartient.]")
            return
        role = current_role()
        who = escape_markdown(current_user())
        st.markdown(f":gray[Connecté : **{who}** — rôle {role.label} ({WHAT_ROLES_ALLOW[role]}).]")
        st.button("Se déconnecter", on_click=st.logout, key="deconnexion", icon=":material/logout:")
