"""Who may do what in a team deployment: the roles file (TOML) and the role of a signed-in e-mail.

The roles file names, for each role, e-mail addresses and e-mail domains::

    default = "aucun"            # role of a signed-in address listed nowhere ("aucun": refused)

    [admin]
    emails = ["cheffe.projet@anct.gouv.fr"]

    [contributeur]
    domains = ["anct.gouv.fr"]

    [lecteur]
    domains = ["agriculture.gouv.fr", "cohesion-territoires.gouv.fr"]

An address listed by name takes the role it is listed under (an admin can so give one agent of a
contributing domain a reader's role); otherwise the highest role of its domain applies; otherwise
``default``. Addresses and domains are compared in lower case.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path


class Role(IntEnum):
    """The roles, each allowed what the one before it is, and more."""

    AUCUN = 0
    LECTEUR = 1
    CONTRIBUTEUR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        """The role's name as the configuration and the interface say it."""
        return self.name.lower()


ROLE_NAMES: dict[str, Role] = {role.label: role for role in Role}
WHAT_ROLES_ALLOW: dict[Role, str] = {
    Role.AUCUN: "aucun accès",
    Role.LECTEUR: "pages des données ouvertes et éléments partagés par l'équipe",
    Role.CONTRIBUTEUR: "lecture, fichiers déposés et enregistrements",
    Role.ADMIN: "tout, y compris les éléments des autres et le journal d'audit",
}


class RolesFileError(ValueError):
    """The roles file cannot be read or does not have the expected shape."""


class AccessDenied(PermissionError):
    """The signed-in user's role does not allow the action (the message says which role does)."""


@dataclass(frozen=True)
class RolesConfig:
    """Roles by e-mail address and by domain, and the role of anyone else."""

    emails: dict[str, Role] = field(default_factory=dict)
    domains: dict[str, Role] = field(default_factory=dict)
    default: Role = Role.AUCUN

    def role_of(self, email: str | None) -> Role:
        """The role of ``email`` (see the module docstring).

        Examples
        --------
        >>> config = parse_roles('[admin]\\nemails = ["a@x.fr"]\\n[lecteur]\\ndomains = ["x.fr"]')
        >>> config.role_of("A@X.fr").label, config.role_of("b@x.fr").label, config.role_of("c@y.fr").label
        ('admin', 'lecteur', 'aucun')
        """
        if not email or "@" not in email:
            return Role.AUCUN
        address = email.strip().lower()
        if address in self.emails:
            return self.emails[address]
        domain = address.rsplit("@", 1)[1]
        return self.domains.get(domain, self.default)


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RolesFileError(f'{where} doit être une liste de textes non vides, par exemple ["anct.gouv.fr"].')
    return [v.strip().lower() for v in value]


def parse_roles(text: str) -> RolesConfig:
    """Read the TOML text of a roles file.

    Raises
    ------
    RolesFileError
        Not TOML, an unknown role or key, a list that is not a list of texts, a domain written
        with its ``@``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RolesFileError(f"Fichier des rôles illisible (TOML) : {error}. Corrigez sa syntaxe.") from error
    known = ", ".join(r.label for r in Role if r is not Role.AUCUN)
    default_name = data.pop("default", "aucun")
    if default_name not in ROLE_NAMES:
        raise RolesFileError(f"default = « {default_name} » : rôle inconnu ; choisissez aucun, {known}.")
    emails: dict[str, Role] = {}
    domains: dict[str, Role] = {}
    # From the lowest role up: a domain listed under two roles takes the highest.
    for name in sorted(data, key=lambda n: ROLE_NAMES.get(n, Role.AUCUN)):
        section = data[name]
        if name not in ROLE_NAMES or name == "aucun" or not isinstance(section, dict):
            raise RolesFileError(f"Section [{name}] inconnue dans le fichier des rôles : les rôles sont {known}.")
        unknown = set(section) - {"emails", "domains"}
        if unknown:
            raise RolesFileError(
                f"[{name}] : clé(s) {', '.join(sorted(unknown))} inconnue(s) ; seules emails et domains sont lues."
            )
        for address in _strings(section.get("emails", []), f"[{name}] emails"):
            if "@" not in address:
                raise RolesFileError(f"[{name}] emails : « {address} » n'est pas une adresse électronique.")
            emails[address] = ROLE_NAMES[name]
        for domain in _strings(section.get("domains", []), f"[{name}] domains"):
            if "@" in domain:
                raise RolesFileError(f"[{name}] domains : écrivez « {domain.split('@')[-1]} », sans le @.")
            domains[domain] = ROLE_NAMES[name]
    return RolesConfig(emails, domains, ROLE_NAMES[default_name])


def load_roles(path: str | Path) -> RolesConfig:
    """The roles file at ``path``.

    Raises
    ------
    RolesFileError
        The file is missing or malformed (the message says what to write).
    """
    path = Path(path)
    if not path.is_file():
        raise RolesFileError(
            f"Fichier des rôles absent ({path}) : créez-le (modèle : .streamlit/roles.example.toml) ou indiquez-le "
            "avec FABT_ROLES_FILE."
        )
    return parse_roles(path.read_text(encoding="utf-8"))


def require_role(role: Role, needed: Role, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``role`` allows what ``needed`` allows.

    Examples
    --------
    >>> require_role(Role.ADMIN, Role.CONTRIBUTEUR, "enregistrer")
    >>> require_role(Role.LECTEUR, Role.CONTRIBUTEUR, "enregistrer")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    core.access.AccessDenied: Votre rôle (lecteur) ne permet pas d'enregistrer : il faut le rôle contributeur. ...
    """
    if role < needed:
        raise AccessDenied(
            f"Votre rôle ({role.label}) ne permet pas {_de(action)} : il faut le rôle {needed.label}. "
            "Demandez-le à l'administrateur du déploiement."
        )


def _de(action: str) -> str:
    return f"d'{action}" if action[:1].lower() in "aeéèêiouy" else f"de {action}"
