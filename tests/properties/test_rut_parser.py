"""RUT parsing (accounts/ruts.py) and the login form's RUT fields, for any text."""

import re

import pytest
from django import forms
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.forms import INVALID_RUT, LoginForm
from accounts.ruts import MAX_RUT_INPUT_LENGTH, InvalidRut, format_rut, normalize_rut
from tests.properties.checks import NUL_MESSAGE
from tests.properties.strategies import any_text, rut_like, rut_of, with_dots

NORMALIZED = re.compile(r"[1-9][0-9]*-[0-9K]")

anything = st.one_of(any_text("76.123.456-0", "0123456-0", "CL76123456-0"), rut_like())
# python-stdnum's RUTs: 7 or 8 digits before the check digit.
bodies = st.integers(1_000_000, 99_999_999)
spaces = st.text(alphabet=" \t\n\u00a0\u3000", max_size=3)

fast = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def normalized_or_none(text: str) -> str | None:
    """normalize_rut's answer: a normalized RUT, or None when it raised InvalidRut. Any other
    exception escapes and fails the test."""
    try:
        normalized = normalize_rut(text)
    except InvalidRut:
        return None
    assert isinstance(normalized, str)
    assert NORMALIZED.fullmatch(normalized), (text, normalized)
    return normalized


@fast
@given(anything)
def test_normalize_returns_the_normalized_form_or_raises_invalid_rut(text):
    normalized_or_none(text)


@fast
@given(anything)
@example("0123456-0")  # 7 digits with the zero, so stdnum took it; 123456-0 it refuses
@example("00000001-9")
def test_normalizing_is_idempotent(text):
    normalized = normalized_or_none(text)
    if normalized is not None:
        assert normalize_rut(normalized) == normalized


@fast
@given(anything)
@example("0123456-0")
def test_a_formatted_rut_normalizes_back(text):
    normalized = normalized_or_none(text)
    if normalized is not None:
        formatted = format_rut(normalized)
        assert normalize_rut(formatted) == normalized, formatted
        assert len(formatted) <= MAX_RUT_INPUT_LENGTH


@fast
@given(
    body=bodies,
    dots=st.booleans(),
    separator=st.sampled_from(["-", ""]),
    lower_k=st.booleans(),
    before=spaces,
    after=spaces,
)
def test_a_valid_rut_normalizes_the_same_in_every_spelling(
    body, dots, separator, lower_k, before, after
):
    expected = rut_of(body)
    digits, check = expected.split("-")
    if lower_k:
        check = check.lower()
    typed = before + (with_dots(digits) if dots else digits) + separator + check + after
    assert normalize_rut(typed) == expected
    assert normalize_rut(format_rut(expected)) == expected


@fast
@given(body=bodies, wrong=st.sampled_from("0123456789K"))
def test_a_wrong_check_digit_is_refused(body, wrong):
    right = rut_of(body)
    typed = f"{right[:-1]}{wrong}"
    if typed != right:
        with pytest.raises(InvalidRut):
            normalize_rut(typed)


RUT_FIELD_MESSAGES = {
    str(INVALID_RUT),
    "Ingrese el RUT.",
    NUL_MESSAGE,
}


@pytest.mark.parametrize("name", ["clinic_rut", "user_rut"])
@fast
@given(text=anything)
def test_the_login_forms_rut_fields_take_what_normalize_rut_takes(name, text):
    field = LoginForm(request=None).fields[name]
    expected = normalized_or_none(text.strip())
    try:
        cleaned = field.clean(text)
    except forms.ValidationError as error:
        assert expected is None or len(text.strip()) > MAX_RUT_INPUT_LENGTH, (text, expected)
        assert set(error.messages) <= RUT_FIELD_MESSAGES, error.messages
    else:
        assert cleaned == expected
