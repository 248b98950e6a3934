from __future__ import annotations

import inspect
import types

import pytest

import asgi_responses


@pytest.mark.parametrize("name", asgi_responses.__all__)
def test_documented(name: str) -> None:
    obj = getattr(asgi_responses, name)
    if isinstance(obj, types.GenericAlias):
        return  # a type alias (JSONEncoder); Python 3.10 counts it as a class
    if inspect.isclass(obj) or inspect.isfunction(obj):
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for attribute, value in vars(obj).items():
                if not attribute.startswith("_") and (
                    inspect.isfunction(value) or isinstance(value, property)
                ):
                    assert inspect.getdoc(value), f"{name}.{attribute}"


def test_same_names_as_starlette_responses() -> None:
    for name in [
        "Response",
        "HTMLResponse",
        "PlainTextResponse",
        "JSONResponse",
        "RedirectResponse",
        "StreamingResponse",
        "FileResponse",
    ]:
        assert name in asgi_responses.__all__
