"""Names from the ANCT files: the "; " separator trap, entities, line breaks, e-mails."""

import pytest

from core.domain.text import clean_name, has_email, split_joined


@pytest.mark.parametrize(
    ("joined", "expected"),
    [
        ("A; B", ["A", "B"]),
        ("Solo", ["Solo"]),
        # Brest: "&amp; " is an entity, not a separator.
        ("Bretagne &amp; Les Fabriques du Ponant", ["Bretagne &amp; Les Fabriques du Ponant"]),
        ("R &amp; C; Autre lieu", ["R &amp; C", "Autre lieu"]),
        ("x &#233; y; z", ["x &#233; y", "z"]),
        ("", [""]),
    ],
)
def test_split_joined_keeps_entities_whole(joined, expected):
    assert split_joined(joined) == expected


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ressources &amp; Compétences", "Ressources & Compétences"),
        ("Ligne 1\nLigne 2", "Ligne 1 Ligne 2"),
        ("SCENE 61 mail alimoes@scenenationale61.fr", "SCENE 61 mail"),
        ("Le Touche@tout, tiers lieu rural", "Le Touche@tout, tiers lieu rural"),
        # tags are removed after entities are decoded, so an escaped tag cannot come back to life
        ("<b>Gras</b> &lt;script&gt;alert(1)&lt;/script&gt;", "Gras alert(1)"),
        (None, ""),
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


def test_has_email_spots_addresses_only():
    assert has_email("écrire à a.b@c.fr")
    assert not has_email("Le Touche@tout")
