"""The roles file: by address first, then by domain (highest role), then the default; malformed files are
refused with a message saying what to write."""

from __future__ import annotations

import pytest

from core.access import AccessDenied, Role, RolesFileError, load_roles, parse_roles, require_role

ROLES = """
default = "lecteur"
[admin]
emails = ["Cheffe@ANCT.gouv.fr"]
[contributeur]
domains = ["anct.gouv.fr", "region-sud.fr"]
emails = ["invitee@exemple.fr"]
[lecteur]
emails = ["stagiaire@anct.gouv.fr"]
domains = ["region-sud.fr"]
"""


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("cheffe@anct.gouv.fr", Role.ADMIN),  # by address, case folded
        ("agent@anct.gouv.fr", Role.CONTRIBUTEUR),  # by domain
        ("stagiaire@anct.gouv.fr", Role.LECTEUR),  # an address listed lower than its domain
        ("invitee@exemple.fr", Role.CONTRIBUTEUR),
        ("x@region-sud.fr", Role.CONTRIBUTEUR),  # a domain under two roles: the highest
        ("quelquun@ailleurs.fr", Role.LECTEUR),  # default
        ("", Role.AUCUN),
        (None, Role.AUCUN),
        ("pas-une-adresse", Role.AUCUN),
    ],
)
def test_role_of(email, role):
    assert parse_roles(ROLES).role_of(email) is role


def test_without_default_an_unlisted_address_has_no_role():
    assert parse_roles('[lecteur]\ndomains = ["a.fr"]').role_of("b@b.fr") is Role.AUCUN


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[admin\nemails = []", "illisible"),
        ('default = "chef"', "rôle inconnu"),
        ('[redacteur]\nemails = ["a@a.fr"]', r"Section \[redacteur\] inconnue"),
        ('[lecteur]\nmails = ["a@a.fr"]', "mails inconnue"),
        ('[lecteur]\nemails = "a@a.fr"', "liste de textes"),
        ('[lecteur]\nemails = ["a.fr"]', "n'est pas une adresse"),
        ('[lecteur]\ndomains = ["@a.fr"]', "sans le @"),
    ],
)
def test_malformed_roles_files_are_refused_with_what_to_write(text, message):
    with pytest.raises(RolesFileError, match=message):
        parse_roles(text)


def test_a_missing_roles_file_says_how_to_create_it(tmp_path):
    with pytest.raises(RolesFileError, match=r"roles\.example\.toml"):
        load_roles(tmp_path / "roles.toml")
    (tmp_path / "roles.toml").write_text(ROLES, encoding="utf-8")
    assert load_roles(tmp_path / "roles.toml").role_of("agent@anct.gouv.fr") is Role.CONTRIBUTEUR


def test_require_role_says_which_role_is_needed():
    require_role(Role.CONTRIBUTEUR, Role.CONTRIBUTEUR, "enregistrer")
    needed = r"rôle \(lecteur\) ne permet pas de déposer un fichier : il faut le rôle contributeur"
    with pytest.raises(AccessDenied, match=needed):
        require_role(Role.LECTEUR, Role.CONTRIBUTEUR, "déposer un fichier")


def test_the_example_roles_file_is_valid():
    from core.settings import PROJECT_ROOT

    config = load_roles(PROJECT_ROOT / ".streamlit" / "roles.example.toml")
    assert config.role_of("stagiaire@anct.gouv.fr") is Role.LECTEUR
    assert config.role_of("agent@anct.gouv.fr") is Role.CONTRIBUTEUR
    assert config.role_of("inconnu@exemple.fr") is Role.AUCUN
