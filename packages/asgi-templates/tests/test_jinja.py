"""The Jinja2 set-up: the import error, the default environment, the url_for global."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import jinja2
import pytest

from asgi_templates import Jinja2Templates, url_for
from asgi_templates._jinja import environment_for, install_globals


def test_missing_jinja2_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    for name in [name for name in sys.modules if name.startswith("asgi_templates")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError) as caught:
        importlib.import_module("asgi_templates")
    message = str(caught.value)
    assert message.startswith("asgi-templates needs jinja2: pip install jinja2 ")
    assert "pip install 'asgi-framework[templates]'" in message
    assert caught.value.name == "jinja2"
    assert isinstance(caught.value.__cause__, ImportError)


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("page.html", True),
        ("page.htm", True),
        ("page.xml", True),
        ("PAGE.HTML", True),
        ("page.txt", False),
        ("page.jinja", False),
        ("page.html.j2", False),
        ("page.xhtml", False),
    ],
)
def test_autoescape_by_extension_as_starlette(tmp_path: Path, name: str, escaped: bool) -> None:
    (tmp_path / name).write_text("{{ value }}")
    env = environment_for(str(tmp_path))
    rendered = env.get_template(name).render(value="<b>&")
    assert rendered == ("&lt;b&gt;&amp;" if escaped else "<b>&")


def test_templates_from_strings_are_escaped(tmp_path: Path) -> None:
    env = environment_for(tmp_path)
    assert env.from_string("{{ value }}").render(value="<i>") == "&lt;i&gt;"


def test_the_default_environment_is_jinja2s_defaults_otherwise(tmp_path: Path) -> None:
    env = environment_for(tmp_path)
    plain = jinja2.Environment()
    assert isinstance(env.loader, jinja2.FileSystemLoader)
    assert env.loader.searchpath == [str(tmp_path)]
    assert not env.is_async
    assert (env.trim_blocks, env.lstrip_blocks, env.undefined) == (
        plain.trim_blocks,
        plain.lstrip_blocks,
        plain.undefined,
    )


def test_url_for_is_added_once_and_an_existing_one_is_kept() -> None:
    env = jinja2.Environment()
    install_globals(env)
    assert env.globals["url_for"] is url_for
    mine = jinja2.Environment()
    mine.globals["url_for"] = "mine"
    Jinja2Templates(env=mine)
    assert mine.globals["url_for"] == "mine"


def test_url_for_without_a_request_in_the_context_says_how_to_render() -> None:
    env = jinja2.Environment()
    install_globals(env)
    template = env.from_string("{{ url_for('home') }}")
    with pytest.raises(KeyError, match=r"url_for\('home'\) in a template needs the request"):
        template.render()


def test_url_for_takes_the_route_name_positionally_only() -> None:
    env = jinja2.Environment()
    install_globals(env)
    template = env.from_string("{{ url_for(name='home') }}")
    with pytest.raises(TypeError, match="name"):
        template.render(request=object())
