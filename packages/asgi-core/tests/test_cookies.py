import pytest

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
