"""Compiling route paths like ``/users/{id:int}`` into regular expressions."""

from __future__ import annotations

import re
from typing import Any

from asgi_routing._convertors import CONVERTOR_TYPES, SEGMENT_CONVERTORS, Convertor
from asgi_routing._errors import RouteConfigurationError

__all__ = ["PARAM_REGEX", "compile_path", "path_pattern", "path_segments", "replace_params"]

#: ``{name}`` or ``{name:convertor}`` inside a path.
PARAM_REGEX = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")

#: ``{name}`` inside a path format (what :func:`replace_params` fills in).
_PLACEHOLDER = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)}")


def compile_path(path: str) -> tuple[re.Pattern[str], str, dict[str, Convertor[Any]]]:
    """``(regex, format, convertors)`` for a path (``/users/{id:int}``) or a host name.

    ``format`` is the path with ``{name}`` placeholders (``/users/{id}``), used to build
    URLs. For a host (a pattern not starting with ``/``) the regular expression ignores
    case and leaves out a trailing ``:port`` (host names are matched without the port); the
    format keeps it. An unknown convertor or a parameter name used twice raises
    :class:`RouteConfigurationError`.
    """
    source, path_format, convertors = _translate(path)
    flags = re.IGNORECASE if not path.startswith("/") else 0
    return re.compile(source, flags), path_format, convertors


def path_pattern(path: str) -> str:
    """The source of the regular expression :func:`compile_path` compiles for ``path``."""
    return _translate(path)[0]


def _translate(path: str) -> tuple[str, str, dict[str, Convertor[Any]]]:
    is_host = not path.startswith("/")
    regex = "^"
    path_format = ""
    convertors: dict[str, Convertor[Any]] = {}
    duplicated: set[str] = set()
    position = 0
    for match in PARAM_REGEX.finditer(path):
        name, kind = match.group(1), (match.group(2) or ":str")[1:]
        if kind not in CONVERTOR_TYPES:
            known = ", ".join(sorted(CONVERTOR_TYPES))
            raise RouteConfigurationError(
                f"Unknown path convertor '{kind}' in {path!r}. Use one of {known}, or add "
                f"it first with register_url_convertor({kind!r}, ...)."
            )
        convertor = CONVERTOR_TYPES[kind]
        literal = path[position : match.start()]
        regex += re.escape(literal) + f"(?P<{name}>{convertor.regex})"
        path_format += literal + "{" + name + "}"
        if name in convertors:
            duplicated.add(name)
        convertors[name] = convertor
        position = match.end()
    if duplicated:
        names = ", ".join(sorted(duplicated))
        ending = "s" if len(duplicated) > 1 else ""
        raise RouteConfigurationError(
            f"Duplicated param name{ending} {names} at path {path}. Give each path "
            "parameter its own name."
        )
    rest = path[position:]
    path_format += rest
    if is_host:
        rest = rest.split(":")[0]
    regex += re.escape(rest) + "$"
    return regex, path_format, convertors


def replace_params(
    path: str, param_convertors: dict[str, Convertor[Any]], path_params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """Fill the ``{name}`` placeholders of ``path`` in one pass, as Starlette does.

    Each parameter used is removed from ``path_params`` (changed in place and returned, with
    the parameters left over). A value is put in as its convertor writes it and never read
    again, so a value such as ``"{id}"`` stays as it is; a placeholder without a parameter
    is left in the path.
    """
    if "{" not in path or not path_params:
        return path, path_params

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in path_params:
            return match.group(0)
        return param_convertors[key].to_string(path_params.pop(key))

    return _PLACEHOLDER.sub(fill, path), path_params


def path_segments(path: str) -> tuple[list[str | None], bool]:
    """The segments of a route path for the routing table, and whether they are all of it.

    A static segment is its literal text, a segment that is exactly one built-in
    single-segment parameter (``{id}``, ``{id:int}``, ...) is ``None``. The list stops
    before the first segment that is anything else (a ``path`` or custom convertor, text
    mixed with a parameter), and the flag is then ``False``: from there on the route is
    checked with its regular expression only.
    """
    segments: list[str | None] = []
    for segment in path[1:].split("/"):
        if "{" not in segment:
            segments.append(segment)
            continue
        match = PARAM_REGEX.fullmatch(segment)
        convertor = CONVERTOR_TYPES.get((match.group(2) or ":str")[1:]) if match else None
        if id(convertor) not in SEGMENT_CONVERTORS:
            return segments, False
        segments.append(None)
    return segments, True
