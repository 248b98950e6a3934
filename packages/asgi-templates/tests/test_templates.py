"""Jinja2Templates: configuration, rendering, url_for, context processors, the debug extension."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2
import pytest

from asgi_core import AsgiDeprecationWarning, BackgroundTask, Request, UsageError
from asgi_responses import Response
from asgi_routing import Mount, NoMatchFound, Route, Router
from asgi_templates import Jinja2Templates, _TemplateResponse
from asgi_testing import TestClient

Client = Callable[..., TestClient]

# --- configuration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "received"),
    [
        ({}, "received neither"),
        ({"directory": "templates", "env": jinja2.Environment()}, "received directory='templates'"),
    ],
)
def test_exactly_one_of_directory_and_env(arguments: dict[str, Any], received: str) -> None:
    with pytest.raises(UsageError) as caught:
        Jinja2Templates(**arguments)
    message = str(caught.value)
    assert message.startswith("either 'directory' or 'env' arguments must be passed")
    assert received in message
    assert 'Jinja2Templates(directory="templates")' in message
    # Starlette raises AssertionError; code catching that keeps working
    assert isinstance(caught.value, AssertionError)
    assert isinstance(caught.value, ValueError)


def test_env_must_be_an_environment() -> None:
    with pytest.raises(TypeError, match=r"env must be a jinja2.Environment; received 'templates'"):
        Jinja2Templates(env="templates")  # type: ignore[arg-type]


def test_context_processors_must_be_a_list_of_callables() -> None:
    def processor(request: Request) -> dict[str, Any]:
        return {}

    with pytest.raises(TypeError, match=r"must be a list of callables.*pass \[processor\]"):
        Jinja2Templates(env=jinja2.Environment(), context_processors=processor)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"must be callables.*received 'user'"):
        Jinja2Templates(env=jinja2.Environment(), context_processors=["user"])  # type: ignore[list-item]


def test_context_processors_list_is_kept_so_appending_works() -> None:
    processors: list[Any] = [lambda request: {}]
    templates = Jinja2Templates(env=jinja2.Environment(), context_processors=processors)
    assert templates.context_processors is processors
    assert Jinja2Templates(env=jinja2.Environment()).context_processors == []


def test_directory_forms(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.html").write_text("one from a")
    (tmp_path / "b" / "one.html").write_text("one from b")
    (tmp_path / "b" / "two.html").write_text("two from b")
    assert Jinja2Templates(tmp_path / "a").get_template("one.html").render() == "one from a"
    assert Jinja2Templates(str(tmp_path)).get_template("b/two.html").render() == "two from b"
    search = Jinja2Templates([tmp_path / "a", str(tmp_path / "b")])
    assert search.get_template("one.html").render() == "one from a"
    assert search.get_template("two.html").render() == "two from b"


def test_a_custom_environment_is_used_as_it_is() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "{{ value }}"}))
    templates = Jinja2Templates(env=env)
    assert templates.env is env
    assert env.globals["url_for"] is not None
    assert env.autoescape is False  # not changed: the environment's owner decides
    assert templates.get_template("page.html").render(value="<b>") == "<b>"


def test_template_not_found(directory: Path, make_request: Callable[..., Request]) -> None:
    templates = Jinja2Templates(directory)
    with pytest.raises(jinja2.TemplateNotFound, match="missing.html"):
        templates.get_template("missing.html")
    with pytest.raises(jinja2.TemplateNotFound, match="missing.html"):
        templates.TemplateResponse(make_request(), "missing.html")


# --- rendering ----------------------------------------------------------------------------


def test_render_with_the_request_in_the_context(directory: Path, client: Client) -> None:
    templates = Jinja2Templates(directory=directory)

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {"name": "Ada"})

    response = client(Router([Route("/home", home)])).get("/home")
    assert response.status_code == 200
    assert response.text == "Hello Ada at /home"
    assert list(response.headers.items()) == [
        ("content-length", "18"),
        ("content-type", "text/html; charset=utf-8"),
    ]
    assert response.template.name == "index.html"  # type: ignore[attr-defined]
    assert set(response.context) == {"name", "request"}  # type: ignore[attr-defined]


def test_response_arguments(directory: Path, client: Client) -> None:
    templates = Jinja2Templates(directory=directory)
    ran: list[str] = []

    def endpoint(request: Request) -> Response:
        return templates.TemplateResponse(
            request,
            "escape.html",
            {"value": "<b>"},
            status_code=201,
            headers={"X-Custom": "1"},
            media_type="text/plain",
            background=BackgroundTask(ran.append, "done"),
        )

    response = client(Router([Route("/", endpoint)])).get("/")
    assert (response.status_code, response.text) == (201, "&lt;b&gt;")
    assert list(response.headers.items()) == [
        ("x-custom", "1"),
        ("content-length", "9"),
        ("content-type", "text/plain; charset=utf-8"),
    ]
    assert ran == ["done"]


def test_keyword_arguments_and_the_context_changed_in_place(
    directory: Path, make_request: Callable[..., Request]
) -> None:
    templates = Jinja2Templates(directory=directory)
    request = make_request()
    context: dict[str, Any] = {"name": "Bo"}
    response = templates.TemplateResponse(request=request, name="index.html", context=context)
    assert isinstance(response, _TemplateResponse)
    assert response.context is context
    assert context == {"name": "Bo", "request": request}
    assert response.body == b"Hello Bo at /"
    assert templates.TemplateResponse(request, "index.html").context == {"request": request}


def test_a_request_already_in_the_context_is_kept(
    directory: Path, make_request: Callable[..., Request]
) -> None:
    templates = Jinja2Templates(directory=directory)
    other = make_request(path="/other")
    response = templates.TemplateResponse(make_request(), "index.html", {"request": other})
    assert response.context["request"] is other
    assert response.body == b"Hello  at /other"


def test_wrong_arguments_name_template_response(
    directory: Path, make_request: Callable[..., Request]
) -> None:
    templates = Jinja2Templates(directory=directory)
    with pytest.raises(TypeError, match=r"TemplateResponse\(\) missing 2 required"):
        templates.TemplateResponse()  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"TemplateResponse\(\) missing 1 required .*'name'"):
        templates.TemplateResponse(make_request())  # type: ignore[call-overload]


def test_autoescape_in_responses(directory: Path, make_request: Callable[..., Request]) -> None:
    (directory / "plain.txt").write_text("{{ value }}")
    templates = Jinja2Templates(directory=directory)
    request = make_request()
    value = {"value": "<script>"}
    assert templates.TemplateResponse(request, "escape.html", value).body == b"&lt;script&gt;"
    assert templates.TemplateResponse(request, "plain.txt", value).body == b"<script>"


# --- url_for ------------------------------------------------------------------------------


def user_routes(templates: Jinja2Templates) -> list[Route]:
    async def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "user.html", {"user_id": 7})

    async def user(request: Request) -> Response:  # pragma: no cover - only named, never called
        raise NotImplementedError

    return [Route("/page", page), Route("/users/{id:int}", user, name="user")]


def test_url_for_with_path_params(directory: Path, client: Client) -> None:
    templates = Jinja2Templates(directory=directory)
    response = client(Router(user_routes(templates))).get("/page")
    assert response.text == "http://testserver/users/7"


def test_url_for_inside_a_mount(directory: Path, client: Client) -> None:
    (directory / "mounted.html").write_text(
        "{{ url_for('admin:user', id=3) }} {{ url_for('home') }} {{ url_for('admin:page') }}"
    )
    templates = Jinja2Templates(directory=directory)

    async def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "mounted.html")

    admin = [Route("/page", page, name="page"), *user_routes(templates)[1:]]
    app = Router([Route("/", page, name="home"), Mount("/admin", routes=admin, name="admin")])
    response = client(app, root_path="/app").get("/app/admin/page")
    assert response.text == (
        "http://testserver/app/admin/users/3 http://testserver/app/ "
        "http://testserver/app/admin/page"
    )


def test_url_for_an_unknown_route_raises_no_match_found(directory: Path, client: Client) -> None:
    (directory / "unknown.html").write_text("{{ url_for('nope') }}")
    templates = Jinja2Templates(directory=directory)

    async def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "unknown.html")

    with pytest.raises(NoMatchFound):
        client(Router([Route("/", page)])).get("/")


# --- context processors -------------------------------------------------------------------


def test_sync_context_processors(directory: Path, client: Client) -> None:
    seen: list[Request] = []

    def user(request: Request) -> dict[str, Any]:
        seen.append(request)
        return {"name": "from the processor", "extra": 1}

    templates = Jinja2Templates(directory=directory, context_processors=[user])

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html", {"name": "endpoint"})

    response = client(Router([Route("/", home)])).get("/")
    # the processors' keys win, as in Starlette; the endpoint's keys keep their place
    assert response.text == "Hello from the processor at /"
    assert list(response.context) == ["name", "request", "extra"]  # type: ignore[attr-defined]
    assert seen == [response.context["request"]]  # type: ignore[attr-defined]


def test_a_processor_returning_no_dict_is_a_clear_type_error(
    directory: Path, make_request: Callable[..., Request]
) -> None:
    def broken(request: Request) -> None:
        return None

    templates = Jinja2Templates(directory=directory, context_processors=[broken])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"context processor .*broken.* returned None"):
        templates.TemplateResponse(make_request(), "index.html")


def test_processors_run_before_the_template_is_looked_up(
    directory: Path, make_request: Callable[..., Request]
) -> None:
    def failing(request: Request) -> dict[str, Any]:
        raise ZeroDivisionError

    templates = Jinja2Templates(directory=directory, context_processors=[failing])
    with pytest.raises(ZeroDivisionError):
        templates.TemplateResponse(make_request(), "missing.html")


def test_async_context_processors_are_awaited_in_order(directory: Path, client: Client) -> None:
    (directory / "names.html").write_text("{{ a }} {{ b }} {{ c }} {{ d }}")

    def first(request: Request) -> dict[str, Any]:
        return {"a": 1, "b": "first", "c": "first"}

    async def second(request: Request) -> dict[str, Any]:
        return {"b": 2, "c": "second"}

    def third(request: Request) -> dict[str, Any]:
        return {"c": 3}

    async def fourth(request: Request) -> dict[str, Any]:
        return {"d": request.url.path}

    templates = Jinja2Templates(directory=directory, context_processors=[first, second])
    templates.context_processors += [third, fourth]  # appended later: used too

    async def page(request: Request) -> Response:
        response = templates.TemplateResponse(request, "names.html", headers={"X-A": "b"})
        assert response.body == b""  # rendered when sent
        response.set_cookie("seen", "1")
        return response

    response = client(Router([Route("/names", page)])).get("/names")
    assert response.text == "1 2 3 /names"
    assert list(response.headers.items()) == [
        ("x-a", "b"),
        ("content-length", "12"),
        ("content-type", "text/html; charset=utf-8"),
        ("set-cookie", "seen=1; Path=/; SameSite=lax"),
    ]
    assert response.context["d"] == "/names"  # type: ignore[attr-defined]


def test_a_sync_processor_returning_an_awaitable(directory: Path, client: Client) -> None:
    async def load(request: Request) -> dict[str, Any]:
        return {"name": "awaited"}

    class Decorated:  # a sync callable returning a coroutine, as some decorators make
        def __call__(self, request: Request) -> Any:
            return load(request)

    def after(request: Request) -> dict[str, Any]:
        return {"late": True}

    templates = Jinja2Templates(directory=directory, context_processors=[Decorated(), after])

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html")

    response = client(Router([Route("/", home)])).get("/")
    assert response.text == "Hello awaited at /"
    assert response.context["late"] is True  # type: ignore[attr-defined]


def test_an_async_processor_returning_no_dict(directory: Path, client: Client) -> None:
    async def broken(request: Request) -> Any:
        return ["not", "pairs"]

    templates = Jinja2Templates(directory=directory, context_processors=[broken])

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "index.html")

    with pytest.raises(TypeError, match=r"returned \['not', 'pairs'\].*must return a dict"):
        client(Router([Route("/", home)])).get("/")


def test_async_processors_with_the_old_call_form(directory: Path, client: Client) -> None:
    async def name(request: Request) -> dict[str, Any]:
        return {"name": request.method}

    templates = Jinja2Templates(directory=directory, context_processors=[name])

    async def home(request: Request) -> Response:
        with pytest.warns(AsgiDeprecationWarning):
            return templates.TemplateResponse("index.html", {"request": request})

    assert client(Router([Route("/", home)])).get("/").text == "Hello GET at /"


# --- async environments -------------------------------------------------------------------


def test_an_async_environment_renders_templates_that_await(client: Client) -> None:
    async def greeting(name: str) -> str:
        return f"Hi {name}"

    env = jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": "{{ await_greeting(request.method) }}!"}),
        enable_async=True,
        autoescape=True,
    )
    env.globals["await_greeting"] = greeting
    templates = Jinja2Templates(env=env)

    async def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", status_code=404)

    response = client(Router([Route("/", page)])).get("/")
    assert (response.status_code, response.text) == (404, "Hi GET!")
    assert response.headers["content-length"] == "7"
    assert response.template.name == "page.html"  # type: ignore[attr-defined]


def test_deferred_rendering_keeps_a_content_length_given(client: Client) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"p.html": "abc"}), enable_async=True)
    templates = Jinja2Templates(env=env)

    async def page(request: Request) -> Response:
        response = templates.TemplateResponse(request, "p.html", headers={"Content-Length": "3"})
        assert response.raw_headers[0] == (b"content-length", b"3")
        return response

    response = client(Router([Route("/", page)])).get("/")
    assert (response.text, response.headers.get_list("content-length")) == ("abc", ["3"])


def test_deferred_rendering_without_a_length(client: Client) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"p.html": ""}), enable_async=True)
    templates = Jinja2Templates(env=env)

    async def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "p.html", status_code=204)

    response = client(Router([Route("/", page)])).get("/")
    assert response.status_code == 204
    assert "content-length" not in response.headers


def test_processors_changed_between_requests_are_noticed(directory: Path, client: Client) -> None:
    (directory / "ab.html").write_text("{{ a }}-{{ b }}")

    def a(request: Request) -> Mapping[str, Any]:
        return MappingProxyType({"a": "A"})  # any mapping will do

    async def b(request: Request) -> dict[str, Any]:
        return {"b": "B"}

    templates = Jinja2Templates(directory=directory, context_processors=[a])

    async def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "ab.html")

    test_client = client(Router([Route("/", page)]))
    assert [test_client.get("/").text for _ in range(2)] == ["A-", "A-"]
    templates.context_processors.append(b)
    assert test_client.get("/").text == "A-B"
    templates.context_processors = [b]
    assert test_client.get("/").text == "-B"
