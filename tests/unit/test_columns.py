"""One column recogniser and one personal-data rule for every upload path."""

from __future__ import annotations

import pandas as pd
import pytest

from core.domain.codes import CodeMap
from core.domain.parsing import ValueParseError, parse_bool
from core.domain.text import column_key, is_personal_column
from core.exports.tables import prepare_export
from core.schemes.projects import guess_project_columns
from core.uploads.columns import PLACE_FIELDS, recognise_columns
from core.uploads.lists import guess_mapping, validate_list
from etl.staging.fabriques_detail import SYNONYMS as DETAIL_SYNONYMS

HEADERS = ["N° Fabrique", "Nom de la Fabrique", "Code INSEE commune", "Montant total (€)", "Vague", "Adresse", "FNT"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        (" Montant total (€) ", "montant total"),
        ("N° vague", "n vague"),
        ("E-mail", "e mail"),
        ("Code_INSEE", "code insee"),
    ],
)
def test_column_key(name, key):
    assert column_key(name) == key


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("Contact", True),
        ("E-mail", True),
        ("Courriel du porteur", True),
        ("Téléphone", True),
        ("Prénom", True),
        ("Référente", True),
        ("Adresse", False),
        ("Nom du lieu", False),
        ("Montant", False),
    ],
)
def test_personal_columns(name, personal):
    assert is_personal_column(name) is personal


def test_users_lists_and_the_detailed_file_read_the_same_headers_the_same_way():
    lists = guess_mapping(HEADERS)
    detail = recognise_columns(HEADERS, DETAIL_SYNONYMS).mapping
    as_list_field = {"fabrique_id": "identifiant", "insee": "insee_com"}
    assert {as_list_field.get(role, role): column for role, column in detail.items()} == lists
    assert set(lists) == {"identifiant", "nom", "insee_com", "montant", "vague", "adresse", "fnt"}


def test_a_personal_column_is_never_recognised_even_when_its_name_is_a_synonym():
    recognition = recognise_columns(["Nom", "Mail contact", "Téléphone portable"], PLACE_FIELDS)
    assert recognition.mapping == {"nom": "Nom"} and recognition.personal == ["Mail contact", "Téléphone portable"]
    assert "Mail contact" not in guess_project_columns(["Nom", "Mail contact"]).values()


def test_a_users_list_never_keeps_personal_columns_not_even_in_its_rejected_rows():
    frame = pd.DataFrame(
        {
            "Nom": ["Lieu A", ""],
            "Code INSEE": ["01001", "01001"],
            "Contact": ["Jeanne Martin", "Paul"],
            "Mail": ["a@b.fr", "c@d.fr"],
        }
    )
    result = validate_list(frame, guess_mapping(list(frame.columns)), CodeMap(frozenset({"01001"})))
    assert result.personal_columns == ["Contact", "Mail"]
    assert len(result.accepted) == 1 and len(result.rejected) == 1 and result.balanced
    for table in (result.accepted, result.rejected):
        assert not {"Contact", "Mail"} & set(table.columns)
        assert "Jeanne" not in table.to_csv()
    with pytest.raises(ValueError, match="données personnelles"):
        validate_list(frame, {"nom": "Contact"}, CodeMap(frozenset({"01001"})))


def test_exports_drop_personal_columns_by_the_same_rule():
    shown = prepare_export(pd.DataFrame({"nom": ["x"], "Téléphone portable": ["06"], "Courriel": ["a@b.fr"]}))
    assert list(shown.columns) == ["nom"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("oui", True),
        ("Non", False),
        ("1", True),
        ("1.0", True),
        ("0.0", False),
        ("x", True),
        ("vrai", True),
        ("", None),
    ],
)
def test_one_yes_no_reader(text, value):
    assert parse_bool(text) is value


def test_yes_no_refuses_other_words():
    with pytest.raises(ValueParseError):
        parse_bool("peut-être")
    assert parse_bool("FNT", frozenset({"fnt"})) is True
