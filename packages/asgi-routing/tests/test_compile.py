from __future__ import annotations

import re

import pytest

from asgi_routing import CONVERTOR_TYPES, compile_path, replace_params
from asgi_routing._compile import path_pattern, path_segments


def test_compile_a_path() -> None:
    regex, path_format, convertors = compile_path("/users/{id:int}/files/{name}")
    assert regex.pattern == "^/users/(?P<id>[0-9]+)/files/(?P<name>[^/]+)$"
    assert path_format == "/users/{id}/files/{name}"
    assert convertors == {"id": CONVERTOR_TYPES["int"], "name": CONVERTOR_TYPES["str"]}


def test_literal_text_is_escaped() -> None:
    regex, path_format, _ = compile_path("/a.b/{x}+c")
    assert regex.fullmatch("/a.b/1+c")
    assert not regex.fullmatch("/aXb/1+c")
    assert path_format == "/a.b/{x}+c"


def test_compile_a_host() -> None:
    regex, path_format, convertors = compile_path("{sub}.example.org:8000")
    assert regex.pattern == r"^(?P<sub>[^/]+)\.example\.org$"  # matched without the port
    assert path_format == "{sub}.example.org:8000"  # URLs keep it
    assert list(convertors) == ["sub"]
    assert regex.fullmatch("API.Example.ORG")  # host names ignore case


def test_a_path_is_case_sensitive() -> None:
    regex, _, _ = compile_path("/Users")
    assert regex.fullmatch("/Users")
    assert not regex.fullmatch("/users")
    assert regex.flags == re.UNICODE  # the routing table files routes with exactly this


def test_errors() -> None:
    with pytest.raises(AssertionError, match="Unknown path convertor 'nope'"):  # as Starlette
        compile_path("/{x:nope}")
    with pytest.raises(ValueError, match="Duplicated param name id at path /{id}/{id}"):
        compile_path("/{id}/{id}")
    with pytest.raises(ValueError, match="Duplicated param names a, b at path"):
        compile_path("/{a}/{b}/{a}/{b}")


def test_path_pattern_is_the_source_of_the_compiled_regex() -> None:
    for path in ("/users/{id:int}", "/a.b/{x}+c", "/files/{rest:path}", "{sub}.example.org:80"):
        assert path_pattern(path) == compile_path(path)[0].pattern


def test_replace_params() -> None:
    _, path_format, convertors = compile_path("/users/{id:int}")
    params = {"id": 3, "extra": "x"}
    assert replace_params(path_format, convertors, params) == ("/users/3", {"extra": "x"})
    assert params == {"extra": "x"}  # used parameters are removed, as in Starlette
    assert replace_params("/static", {}, {"a": 1}) == ("/static", {"a": 1})
    assert replace_params("/users/{id}", convertors, {}) == ("/users/{id}", {})


def test_replace_params_puts_values_in_once() -> None:
    _, path_format, convertors = compile_path("/a/{x}/{y}")
    # a value that looks like a placeholder is never filled in again, whatever the order
    assert replace_params(path_format, convertors, {"x": "{y}", "y": "3"})[0] == "/a/{y}/3"
    assert replace_params(path_format, convertors, {"y": "3", "x": "{y}"})[0] == "/a/{y}/3"
    assert replace_params(path_format, convertors, {"x": "3", "y": "{x}"})[0] == "/a/3/{x}"
    assert replace_params(path_format, convertors, {"x": "{x}", "y": "{y}"})[0] == "/a/{x}/{y}"
    # a parameter fills its first placeholder; what is not a {name} placeholder stays
    str_convertors = {"x": CONVERTOR_TYPES["str"]}
    assert replace_params("/{x}/{x}", str_convertors, {"x": "1"}) == ("/1/{x}", {})
    for literal in ("/{x:int}", "/{ x}", "/{1}", "/{x-y}"):
        assert replace_params(literal, str_convertors, {"x": "1"}) == (literal, {"x": "1"})
    with pytest.raises(KeyError):  # a placeholder without a convertor, as in Starlette
        replace_params("/{x}", {}, {"x": "1"})


@pytest.mark.parametrize(
    ("path", "segments", "complete"),
    [
        ("/", [""], True),
        ("/users", ["users"], True),
        ("/users/", ["users", ""], True),
        ("/users/{id}", ["users", None], True),
        ("/users/{id:int}/posts/{slug:str}", ["users", None, "posts", None], True),
        ("/r/{x:float}/{y:uuid}", ["r", None, None], True),
        ("/files/{rest:path}", ["files"], False),
        ("/files/{name}.txt", ["files"], False),
        ("/v{version}/x", [], False),
        ("/{custom:unknown}", [], False),
    ],
)
def test_path_segments(path: str, segments: list[str | None], complete: bool) -> None:
    assert path_segments(path) == (segments, complete)
