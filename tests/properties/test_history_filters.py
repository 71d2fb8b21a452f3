"""The history (/soporte/tickets/) with any text in its filters and page number: a Spanish
page, never a server error, and never another clinic's ticket."""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal.forms import HistoryFilterForm
from tests.conftest import ALL_DATABASES
from tests.factories import TicketFactory
from tests.properties.checks import (
    NUL_MESSAGE,
    assert_errors_shown,
    assert_spanish_page,
    listed_codes,
)
from tests.properties.strategies import any_text, weighted
from tickets.selectors import MAX_SEARCH_WORDS, HistoryFilters
from tickets.states import Area, State

pytestmark = pytest.mark.django_db(databases=ALL_DATABASES)

HISTORY = "/soporte/tickets/"
# Replaced in the test by the ticket codes it creates: a search for the other clinic's code,
# its lower case and its beginning.
B_CODE, B_CODE_LOWER, A_CODE_PREFIX = "<B code>", "<b code>", "<A code prefix>"
B_WORD = "zorzal"  # only in clinic B's ticket
A_WORD = "factura"  # in every ticket of both clinics

FILTER_MESSAGES = {
    "Seleccione un estado válido.",
    "Seleccione un área válida.",
    "La búsqueda no puede superar los 100 caracteres.",
    NUL_MESSAGE,
}

# Each filter is mostly valid (so that the search itself runs), often anything at all.
states = weighted((3, st.sampled_from(["", *State.values])), (1, any_text()))
areas = weighted((3, st.sampled_from(["", *Area.values])), (1, any_text()))
searches = [B_CODE, B_CODE_LOWER, A_CODE_PREFIX, B_WORD, A_WORD, f"{A_WORD} {B_WORD}", "PAGO"]
# LIKE's wildcards and escape, which must be searched as text: none is in clinic A's tickets.
wildcards = ["%", "_", "\\", "f_ctura", "fact%", "%%", "\\%", "ST-%", "st-_", "x " * 20]
queries = weighted(
    (2, st.sampled_from(searches)),
    (2, st.sampled_from(wildcards)),
    (1, st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=100)),
    (1, any_text(*searches, *wildcards)),
)
pages = st.one_of(
    any_text("2", "0", "-1", "1.5", "1e3", " 2 ", "\u0662", "9" * 30, "1" * 5000),
    st.integers(-(10**20), 10**20).map(str),
)


def optional(strategy):
    """The parameter left out (None) or sent."""
    return weighted((1, st.none()), (2, strategy))


DETAIL = f"Al emitir una {A_WORD} el portal no confirma el pago de la suscripción mensual."


@pytest.fixture
def two_clinics_tickets(portal_a, portal_b):
    """26 tickets of clinic A (two pages), open, of Soporte, all with DETAIL, and one of clinic
    B that says B_WORD too."""
    mine = TicketFactory.create_batch(26, clinic=portal_a.clinic, requester=portal_a, detail=DETAIL)
    foreign = TicketFactory(
        clinic=portal_b.clinic, requester=portal_b, detail=f"{DETAIL} Clínica {B_WORD}."
    )
    return {ticket.code for ticket in mine}, foreign.code


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(estado=optional(states), area=optional(areas), q=optional(queries), pagina=optional(pages))
def test_any_filters_get_a_spanish_page_of_the_clinics_own_tickets(
    client_a, two_clinics_tickets, estado, area, q, pagina
):
    codes_a, code_b = two_clinics_tickets
    if q is not None:
        q = (
            q.replace(B_CODE, code_b)
            .replace(B_CODE_LOWER, code_b.lower())
            .replace(A_CODE_PREFIX, min(codes_a)[:-2])
        )
    params = {"estado": estado, "area": area, "q": q, "pagina": pagina}
    params = {name: value for name, value in params.items() if value is not None}

    response = client_a.get(HISTORY, params)

    event(f"status {response.status_code}")
    assert response.status_code == 200
    html = assert_spanish_page(response)
    form = HistoryFilterForm(params or None)
    if params and not form.is_valid():
        event("filter errors")
        messages = assert_errors_shown(html, form)
        assert set(messages) <= FILTER_MESSAGES, messages
    listed = listed_codes(html)
    event("tickets listed" if listed else "no ticket listed")
    assert set(listed) <= codes_a
    if not params or form.is_valid():
        cleaned = form.cleaned_data if params else {"estado": "", "area": "", "q": ""}
        filters = HistoryFilters(cleaned["estado"], cleaned["area"], cleaned["q"])
        event(
            "code search"
            if filters.is_code_prefix
            else "word search"
            if filters.words
            else "no search"
        )
        match = clinic_a_tickets_match(filters, codes_a)
        if match is False:  # %, _ and \ are searched as text, not as LIKE's wildcards
            assert not listed, (filters, listed)
        elif match and "pagina" not in params:
            assert listed, filters
    assert code_b not in listed
    # The page repeats the filters as typed; short of that, clinic B's code is nowhere on it.
    if not any(code_b in value.upper() for value in params.values()):
        assert code_b not in html
    if not {"estado", "area", "q"} & params.keys():
        assert listed  # no filter: a page of the clinic's tickets


def clinic_a_tickets_match(filters: HistoryFilters, codes_a: set[str]) -> bool | None:
    """Whether clinic A's tickets (all alike but for their codes) match these filters; None
    when the answer depends on the database's case rules (a word that is not ASCII)."""
    if filters.state not in ("", State.ABIERTO) or filters.area not in ("", Area.SOPORTE):
        return False
    if filters.is_code_prefix:
        return any(code.startswith(filters.words[0]) for code in codes_a)
    if not all(word.isascii() for word in filters.words):
        return None
    return all(word.lower() in DETAIL.lower() for word in filters.words)


@settings(max_examples=300, deadline=None)
@given(queries)
def test_a_search_never_has_more_than_max_search_words(query):
    words = HistoryFilters(query=query).words
    assert len(words) <= MAX_SEARCH_WORDS
    assert all(words)
    if HistoryFilters(query=query).is_code_prefix:
        assert words == (query.strip().upper(),)


@pytest.mark.parametrize(
    "query_string",
    ["q=%ED%A0%80", "q=%FF%FE&estado=%C3", "q=%00%25&pagina=%F0%9F", "estado=%E2%80%AE"],
)
def test_bytes_that_are_not_utf8_get_a_spanish_page(client_a, query_string):
    """A lone surrogate or any byte that is not UTF-8 can only come as raw bytes of a request."""
    response = client_a.get(HISTORY, QUERY_STRING=query_string)
    assert response.status_code == 200
    assert_spanish_page(response)
