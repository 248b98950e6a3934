import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_core import cookie_parser


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", {}),
        ("a=1", {"a": "1"}),
        ("a=1; b=2", {"a": "1", "b": "2"}),
        ("a=1;b=2;", {"a": "1", "b": "2"}),
        ("  a = 1 ;  b=2  ", {"a": "1", "b": "2"}),
        ("a=1; a=2", {"a": "2"}),
        ("keebler=E=mc2", {"keebler": "E=mc2"}),
        ("key:term=value:term", {"key:term": "value:term"}),
        ("a=b; c=[d]; e=(f); g=<h>", {"a": "b", "c": "[d]", "e": "(f)", "g": "<h>"}),
        # a chunk without "=" is a value with an empty name, as browsers send it
        ("abc", {"": "abc"}),
        ("a=1; bare; b=2", {"a": "1", "": "bare", "b": "2"}),
        ("=", {}),
        ("a=", {"a": ""}),
        ("=b", {"": "b"}),
        # quoted values are unquoted, with escapes
        ('a="quoted"', {"a": "quoted"}),
        ('a="with \\"escaped\\" quotes"', {"a": 'with "escaped" quotes'}),
        ('a="octal \\101\\102"', {"a": "octal AB"}),
        ('a="unfinished', {"a": '"unfinished'}),
        ('a="', {"a": '"'}),
        # an invalid cookie does not spoil the others (SimpleCookie would drop all of them)
        ('good=1; bad"name=2; also=3', {"good": "1", 'bad"name': "2", "also": "3"}),
        ("a=ünïcode", {"a": "ünïcode"}),
    ],
)
def test_cookie_parser(header: str, expected: dict[str, str]) -> None:
    assert cookie_parser(header) == expected


# --- properties -------------------------------------------------------------------------------


TOKEN = st.text(alphabet="abcXYZ019_-.!", min_size=1, max_size=6)
COOKIE_VALUE = st.text(alphabet="abcXYZ019_-.!%/:=", max_size=8)


@given(st.text(max_size=60))
def test_any_header_parses_to_stripped_strings(header: str) -> None:
    cookies = cookie_parser(header)
    for name, value in cookies.items():
        assert name == name.strip()
        assert ";" not in name
        assert ";" not in value


@given(st.lists(st.tuples(TOKEN, COOKIE_VALUE), max_size=10), st.sampled_from(["; ", ";", " ; "]))
def test_pairs_a_browser_sends_come_back(pairs: list[tuple[str, str]], separator: str) -> None:
    header = separator.join(f"{name}={value}" for name, value in pairs)
    assert cookie_parser(header) == dict(pairs)  # a later duplicate wins, as in dict()
