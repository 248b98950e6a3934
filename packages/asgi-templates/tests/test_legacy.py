"""The old call form TemplateResponse(name, {"request": request}): works, and warns."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from asgi_core import AsgiDeprecationWarning, BackgroundTask, Request
from asgi_templates import Jinja2Templates
from asgi_templates._legacy import LEGACY_WARNING


@pytest.fixture
def templates(directory: Path) -> Jinja2Templates:
    return Jinja2Templates(directory=directory)


def test_the_old_positional_form_warns_at_the_callers_line(
    templates: Jinja2Templates, make_request: Callable[..., Request]
) -> None:
    request = make_request()
    line = inspect.currentframe().f_lineno + 2  # type: ignore[union-attr]
    with pytest.warns(AsgiDeprecationWarning) as caught:
        response = templates.TemplateResponse("index.html", {"request": request, "name": "Ada"})
    (warning,) = caught
    assert str(warning.message) == LEGACY_WARNING
    assert 'Replace `TemplateResponse(name, {"request": request})`' in LEGACY_WARNING
    assert "`TemplateResponse(request, name)`" in LEGACY_WARNING
    assert (warning.filename, warning.lineno) == (__file__, line)
    assert issubclass(AsgiDeprecationWarning, UserWarning)
    assert response.body == b"Hello Ada at /"
    assert response.context["request"] is request


def test_every_old_argument_positionally(
    templates: Jinja2Templates, make_request: Callable[..., Request]
) -> None:
    task = BackgroundTask(print)
    with pytest.warns(AsgiDeprecationWarning):
        response = templates.TemplateResponse(
            "escape.html",
            {"request": make_request(), "value": "<>"},
            418,
            {"X-Old": "yes"},
            "text/plain",
            task,
        )
    assert (response.status_code, response.body) == (418, b"&lt;&gt;")
    assert response.background is task
    assert response.raw_headers == [
        (b"x-old", b"yes"),
        (b"content-length", b"8"),
        (b"content-type", b"text/plain; charset=utf-8"),
    ]


def test_the_old_keyword_form(
    templates: Jinja2Templates, make_request: Callable[..., Request]
) -> None:
    request = make_request()
    with pytest.warns(AsgiDeprecationWarning, match="the request is the first argument now"):
        response = templates.TemplateResponse(
            name="index.html", context={"request": request, "name": "Kw"}, status_code=202
        )
    assert (response.status_code, response.body) == (202, b"Hello Kw at /")


@pytest.mark.parametrize("context", [None, {"name": "no request"}])
def test_the_old_form_needs_the_request_in_the_context(
    templates: Jinja2Templates, context: dict[str, str] | None
) -> None:
    with (
        pytest.warns(AsgiDeprecationWarning),
        pytest.raises(ValueError, match=r'^context must include a "request" key: ') as caught,
    ):
        templates.TemplateResponse("index.html", context)  # type: ignore[arg-type]
    assert "Call TemplateResponse(request, 'index.html', context) instead." in str(caught.value)


def test_wrong_old_arguments_name_template_response(templates: Jinja2Templates) -> None:
    with (
        pytest.warns(AsgiDeprecationWarning),
        pytest.raises(TypeError, match=r"TemplateResponse\(\) got an unexpected keyword"),
    ):
        templates.TemplateResponse("index.html", {}, colour="red")  # type: ignore[call-overload]
