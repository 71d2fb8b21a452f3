"""A canned answer's placeholders: the four known ones are filled in, anything else between
braces is refused when the answer is saved, and filling in never evaluates the text."""

import pytest
from django.core.exceptions import ValidationError

from canned_answers.placeholders import fill_placeholders, validate_placeholders

VALUES = {
    "clinica": "Clínica Veterinaria Mevetlab",
    "solicitante": "Fernando Pérez",
    "codigo": "ST-20261202-00001",
    "agente": "Ana Agente",
}


def messages_of(text: str) -> list[str]:
    with pytest.raises(ValidationError) as error:
        validate_placeholders(text)
    return error.value.messages


def test_the_four_placeholders_are_filled_in_each_time_they_appear():
    text = "{solicitante} de {clinica}: su ticket {codigo}. {codigo} sigue abierto. — {agente}"
    validate_placeholders(text)
    assert fill_placeholders(text, VALUES) == (
        "Fernando Pérez de Clínica Veterinaria Mevetlab: su ticket ST-20261202-00001. "
        "ST-20261202-00001 sigue abierto. — Ana Agente"
    )


def test_a_text_without_placeholders_is_valid_and_unchanged():
    text = "Gracias por escribirnos. Revisaremos el caso hoy mismo."
    validate_placeholders(text)
    assert fill_placeholders(text, VALUES) == text


def test_an_unknown_placeholder_is_refused_with_the_known_ones():
    assert messages_of("Hola {foo}, saludos") == [
        "Marcador desconocido: {foo}. Use {clinica}, {solicitante}, {codigo} o {agente}."
    ]


@pytest.mark.parametrize(
    "placeholder",
    ["{Clinica}", "{clínica}", "{ codigo }", "{}", "{0}", "{agente!r}", "{codigo:>999}"],
)
def test_near_misses_are_unknown_placeholders(placeholder):
    assert messages_of(f"Texto {placeholder}") == [
        f"Marcador desconocido: {placeholder}. Use {{clinica}}, {{solicitante}}, {{codigo}} "
        "o {agente}."
    ]


def test_each_unknown_placeholder_is_named_once():
    messages = messages_of("{foo} {bar} {foo} {clinica}")
    assert len(messages) == 2
    assert "{foo}" in messages[0] and "{bar}" in messages[1]


@pytest.mark.parametrize("text", ["Hola {clinica", "Hola clinica}", "{{codigo}}", "{a{codigo}"])
def test_unbalanced_braces_are_refused(text):
    assert any("sin su pareja" in message for message in messages_of(text))


@pytest.mark.parametrize(
    "trick",
    [
        "{codigo.__class__}",
        "{codigo.__class__.__mro__}",
        "{clinica.__init__.__globals__}",
        "{agente[0]}",
        "{0.__class__}",
        "%(codigo)s",
        "{{ codigo }}",
    ],
)
def test_attribute_and_format_tricks_are_inert(trick):
    # Refused at save when they look like placeholders; and if such a text were stored anyway,
    # filling in leaves them exactly as written: nothing is evaluated.
    if "{" in trick:
        with pytest.raises(ValidationError):
            validate_placeholders(trick)
    assert fill_placeholders(trick, VALUES) == trick


def test_a_value_that_reads_like_a_placeholder_stays_literal():
    values = {**VALUES, "clinica": "{agente} & {codigo.__class__}"}
    assert fill_placeholders("{clinica} / {agente}", values) == (
        "{agente} & {codigo.__class__} / Ana Agente"
    )
