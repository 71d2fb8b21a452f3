import pytest

from accounts.ruts import InvalidRut, format_rut, normalize_rut


@pytest.mark.parametrize(
    "typed",
    ["76.123.456-0", "76123456-0", "761234560", "  76.123.456-0 "],
)
def test_accepted_formats_normalize_to_the_contract_form(typed):
    assert normalize_rut(typed) == "76123456-0"


@pytest.mark.parametrize("typed", ["16.543.210-k", "16543210k", "16543210-K"])
def test_k_is_upper_case(typed):
    assert normalize_rut(typed) == "16543210-K"


def test_short_ruts_of_people():
    assert normalize_rut("9.876.543-3") == "9876543-3"


@pytest.mark.parametrize(
    "typed",
    [
        "76.123.456-1",
        "",
        "   ",
        "abc",
        "76123456-",
        "-0",
        "0-0",
        "7612345600000000000000",
        "7612\x003456-0",
        "🐶",
    ],
)
def test_invalid_ruts_are_refused(typed):
    with pytest.raises(InvalidRut):
        normalize_rut(typed)


def test_format_for_people():
    assert format_rut("76123456-0") == "76.123.456-0"
    assert format_rut("9876543-3") == "9.876.543-3"
    assert format_rut("") == ""
