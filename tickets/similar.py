"""Tickets parecidos abiertos: the clinic's latest SCAN open tickets that share significant words
(PostgreSQL's "vetsync_spanish" full-text search, or words_of() on SQLite) with a ticket it is
about to send, so that one case stays one ticket."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from accounts.models import Clinic
from tickets.models import Ticket
from tickets.states import OPEN_STATES, label_of

OPEN_VALUES = tuple(state.value for state in OPEN_STATES)
MIN_SHARED = 2
MIN_SHARE = 0.3
# The words of each compared ticket are computed on the fly: on the benchmark's busiest clinic
# (248 open tickets) the statement takes 7 ms with 50, 19 ms with 100 and 51 ms with 200.
SCAN = 50
LIMIT = 3
TEXT_LIMIT = 10_000  # characters of the new text compared (the form's own maximum)
EXCERPT_LINES = 3
EXCERPT_LENGTH = 240
STEM_LENGTH = 6


@dataclass(frozen=True)
class SimilarTicket:
    code: str
    state: str
    detail: str
    created_at: datetime
    shared_words: int

    @property
    def state_label(self) -> str:
        return label_of(self.state)

    @property
    def excerpt(self) -> str:
        """The detail's first lines, as the clinic wrote them (the template escapes them)."""
        lines = [line.strip() for line in self.detail.strip().splitlines() if line.strip()]
        text = "\n".join(lines[:EXCERPT_LINES])
        if len(text) > EXCERPT_LENGTH:
            return text[: EXCERPT_LENGTH - 1].rstrip() + "…"
        return text if len(lines) <= EXCERPT_LINES else text + " …"


def alike(shared: int, words: int, other_words: int) -> bool:
    """The one rule of likeness, for both databases: at least MIN_SHARED shared words, and
    at least MIN_SHARE of the shorter text's."""
    return shared >= MIN_SHARED and shared >= MIN_SHARE * min(words, other_words)


def similar_open_tickets(*, clinic: Clinic, text: str) -> list[SimilarTicket]:
    """The clinic's open tickets most alike to ``text``, most shared words first, then newest."""
    find = _postgresql if connection.vendor == "postgresql" else _fallback
    found = find(clinic.pk, text[:TEXT_LIMIT])
    found.sort(key=lambda ticket: (-ticket.shared_words, -ticket.created_at.timestamp()))
    return found[:LIMIT]


# One statement: the new text's lexemes, then each of the clinic's latest open tickets with its
# own lexemes and how many of them it shares; the rule itself is applied in Python (alike()).
# The fallback's common words, put through the same configuration, are left out on both sides.
POSTGRESQL = """
WITH common AS (
    SELECT tsvector_to_array(to_tsvector('vetsync_spanish', %s)) AS words
), new AS (
    SELECT ARRAY(
        SELECT unnest(tsvector_to_array(to_tsvector('vetsync_spanish', %s)))
        EXCEPT SELECT unnest(common.words)
    ) AS words
    FROM common
)
SELECT t.code, t.state, t.detail, t.created_at,
       (SELECT count(*) FROM unnest(old.words) AS word WHERE word = ANY(new.words)) AS shared,
       cardinality(new.words), cardinality(old.words)
FROM new, common, (
    SELECT code, state, detail, created_at
    FROM tickets_ticket
    WHERE clinic_id = %s AND deleted_at IS NULL AND state IN (%s, %s)
    ORDER BY created_at DESC, id DESC
    LIMIT %s
) AS t
CROSS JOIN LATERAL (
    SELECT ARRAY(
        SELECT unnest(tsvector_to_array(to_tsvector('vetsync_spanish', t.detail)))
        EXCEPT SELECT unnest(common.words)
    ) AS words
) AS old
WHERE cardinality(new.words) > 0
"""


def _postgresql(clinic_id: int, text: str) -> list[SimilarTicket]:
    with connection.cursor() as cursor:
        cursor.execute(POSTGRESQL, [COMMON_WORDS, text, clinic_id, *OPEN_VALUES, SCAN])
        rows = cursor.fetchall()
    # A row: the ticket's code, state, detail, creation, shared words, and each text's words.
    return [SimilarTicket(*row[:5]) for row in rows if alike(*row[4:])]


# Spanish words too common to tell two cases apart (the fallback's stop words, accents folded).
COMMON_WORDS = """
    algo alguna algunas alguno algunos ante antes aqui asi aun cada casi como con contra cual
    cuando del desde donde durante ella ellas ellos entre era eran esa esas ese eso esos esta
    estaba estan estar estas este esto estos fue fueron hace hacer hasta hay las les los mas
    mismo mucho muy nada nos nosotros otra otras otro otros para pero poco por porque puede
    que quien sea segun ser sin sobre solo son su sus tambien tanto tener tengo tiene tienen
    todo todos una uno unos usted ustedes vez hola favor gracias buenos buenas dias tardes
"""
STOP_WORDS = frozenset(COMMON_WORDS.split())
WORD = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> frozenset[str]:
    """The fallback's significant words: accents folded, lower case, at least 3 letters, not a
    stop word, cut to their first STEM_LENGTH letters (impresora, impresoras → impres)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return frozenset(
        word[:STEM_LENGTH]
        for word in WORD.findall(plain)
        if len(word) >= 3 and word not in STOP_WORDS
    )


def _fallback(clinic_id: int, text: str) -> list[SimilarTicket]:
    words = words_of(text)
    if not words:
        return []
    candidates = Ticket.objects.filter(
        clinic_id=clinic_id, deleted_at__isnull=True, state__in=OPEN_VALUES
    ).order_by("-created_at", "-id")[:SCAN]
    found = []
    rows = candidates.values_list("code", "state", "detail", "created_at")
    for code, state, detail, created_at in rows:
        other = words_of(detail)
        shared = len(words & other)
        if alike(shared, len(words), len(other)):
            found.append(SimilarTicket(code, state, detail, created_at, shared))
    return found
