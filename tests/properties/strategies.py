"""Text strategies shared by the property tests: any text, plus the crafted values that break
parsers, SQL and templates, which plain random text would almost never produce."""

from hypothesis import strategies as st
from stdnum.cl.rut import calc_check_digit

LONGEST = 100_000

CRAFTED = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u202e76.123.456-0",
    "\ufeff",  # BYTE ORDER MARK
    "😀" * 50,
    "a" * LONGEST,
    "😀" * LONGEST,  # 400 KB of UTF-8
    "%",
    "_",
    "\\",
    "%_\\",
    "ST-",
    "st-2026",
    "' OR 1=1 --",
    '" OR ""="',
    "<script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    "\r\n",
    "\n\nprimera línea",
    "\r\rretornos de carro",
    "İı ß ﬀ",  # letters whose case changes their length
    "\u0301",  # a combining mark alone
    "٣٤٥",  # Arabic-Indic digits
    "\uff11\uff12\uff13",  # full-width digits
    "\x1c\x1d\x1e\x1f",  # separators that str.strip() removes
]

crafted = st.sampled_from(CRAFTED)

# Any character a request can carry: every code point but the lone surrogates, which are not
# text (UTF-8 cannot encode them; a request with their bytes is tested apart, as raw bytes).
CHARACTERS = st.characters(exclude_categories=["Cs"])


def text(**kwargs) -> st.SearchStrategy[str]:
    return st.text(CHARACTERS, **kwargs)


def _repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


# Hypothesis draws short texts; long ones are a short random text repeated up to 100,000
# characters.
long_text = st.builds(_repeat, text(min_size=1, max_size=10), st.integers(0, LONGEST))

# A crafted value inside random text.
spliced = st.builds(
    lambda before, middle, after: before + middle + after,
    text(max_size=30),
    crafted,
    text(max_size=30),
)


def any_text(*extra: str) -> st.SearchStrategy[str]:
    """Any text: every code point but surrogates (NUL and the controls included), the crafted
    values (and ``extra`` ones), up to 100,000 characters."""
    values = crafted if not extra else st.sampled_from([*CRAFTED, *extra])
    return st.one_of(values, text(), long_text, spliced)


# --- RUTs ---------------------------------------------------------------------------------------


def rut_of(body: int) -> str:
    """A RUT with its right check digit, normalized: ``76123456-0``."""
    return f"{body}-{calc_check_digit(str(body))}"


def with_dots(digits: str) -> str:
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ".".join(groups)


@st.composite
def rut_like(draw) -> str:
    """Text shaped like a RUT: any number, zero-padded or not, dotted or not, with a right or a
    wrong check digit, in either case. Random text almost never looks like this."""
    body = str(draw(st.integers(0, 10**9)))
    body = "0" * draw(st.integers(0, 3)) + body
    if draw(st.booleans()):
        body = with_dots(body)
    check = draw(
        st.one_of(st.just(calc_check_digit(body.replace(".", ""))), st.sampled_from("0123456789Kk"))
    )
    if draw(st.booleans()):
        check = check.lower()
    separator = draw(st.sampled_from(["-", "", " ", "\u2010", "\u2013"]))  # and Unicode dashes
    return draw(st.sampled_from(["", " ", "\t", "CL"])) + body + separator + check


@st.composite
def weighted(draw, *choices: tuple[int, st.SearchStrategy]) -> object:
    """One of the strategies, by weight: ``weighted((3, valid), (1, anything))``. (``st.one_of``
    weighs every branch of nested ``one_of``s alike: any_text's four would outweigh a single
    other strategy 4 to 1.) Examples shrink towards the first."""
    pick = draw(st.integers(0, sum(weight for weight, _ in choices) - 1))
    for weight, strategy in choices:
        if pick < weight:
            return draw(strategy)
        pick -= weight
    raise AssertionError("unreachable")


def either(*strategies: st.SearchStrategy) -> st.SearchStrategy:
    """One of ``strategies``, each as likely."""
    return weighted(*((1, strategy) for strategy in strategies))
