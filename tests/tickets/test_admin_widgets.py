"""tickets/admin_widgets.py: the same HTML as Django's Select."""

import pytest
from django import forms

from tickets.admin_widgets import PlainSelect

CHOICES = [
    ("", "---------"),
    ("abierto", "Abierto"),
    ("cerrado", 'Cerrado <b>"quoted"</b> & más'),
    ("Grupo <x>", [("a", "A"), ("b", "B")]),
    (7, "Siete"),
]


@pytest.mark.parametrize("value", [None, "", "abierto", "cerrado", "b", 7, "7"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_state"}, {"id": "id_x", "required": True, "disabled": False}]
)
def test_plain_select_writes_what_djangos_select_writes(value, attrs):
    ours = PlainSelect(choices=CHOICES).render("state", value, attrs)
    django = forms.Select(choices=CHOICES).render("state", value, attrs)
    assert ours == django
