from __future__ import annotations

from typing import Any

from asgi_core import Request
from asgi_framework._debug_page import MAX_REPR, debug_html, debug_text


def make_request(headers: list[tuple[bytes, bytes]] | None = None) -> Request:
    return Request(
        {
            "type": "http",
            "method": "POST",
            "path": "/orders/<b>",
            "query_string": b"x=1",
            "headers": headers or [(b"host", b"example.org")],
            "scheme": "https",
            "server": ("example.org", 443),
        }
    )


def raise_and_catch(func: Any) -> BaseException:
    try:
        func()
    except BaseException as exc:
        return exc
    raise AssertionError("did not raise")  # pragma: no cover


def failing_view() -> None:
    password = "hun" + "ter2"  # noqa: F841 - built at run time: the source line hides the value
    api_key = "sk-" + "123"  # noqa: F841 - a local the debug page must mask
    order = {"id": 7, "items": ["x" * 1000]}
    label = "<img src=x onerror=alert(1)>"
    raise ValueError(f"bad order {order['id']} {label}")


def test_page_shows_exception_frames_and_request() -> None:
    exc = raise_and_catch(failing_view)
    headers = [
        (b"host", b"example.org"),
        (b"authorization", b"Bearer top-secret"),
        (b"cookie", b"session=abc"),
        (b"user-agent", b"<script>ua</script>"),
    ]
    page = debug_html(make_request(headers), exc)
    assert page.startswith("<!doctype html>")
    assert "<h1>ValueError</h1>" in page
    assert "bad order 7 &lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page  # everything is escaped
    assert "failing_view" in page
    assert "raise ValueError(f&quot;bad order" in page  # the source line
    assert '<span class="current">' in page
    assert "hunter2" not in page  # secret locals are masked
    assert "sk-123" not in page
    assert "<tr><th>password</th><td>********</td></tr>" in page
    assert "top-secret" not in page  # secret headers are masked
    assert "session=abc" not in page
    assert "&lt;script&gt;ua&lt;/script&gt;" in page
    assert "https://example.org/orders/&lt;b&gt;?x=1" in page
    assert f"... ({len(repr({'id': 7, 'items': ['x' * 1000]}))} characters)" in page
    assert "Never enable debug in production." in page


def test_page_shows_the_cause() -> None:
    def chained() -> None:
        try:
            empty: dict[str, int] = {}
            empty["missing"]
        except KeyError as error:
            raise RuntimeError("lookup failed") from error

    page = debug_html(make_request(), raise_and_catch(chained))
    assert "Caused by" in page
    assert "KeyError: &#x27;missing&#x27;" in page


def test_custom_exception_names_and_broken_reprs() -> None:
    class BadRepr:
        def __repr__(self) -> str:
            raise RuntimeError("cannot repr")

    class OrderError(Exception):
        pass

    def view() -> None:
        thing = BadRepr()
        raise OrderError(f"with {type(thing).__name__}")

    page = debug_html(make_request(), raise_and_catch(view))
    assert (
        f"{__name__}.test_custom_exception_names_and_broken_reprs.&lt;locals&gt;.OrderError" in page
    )
    assert "&lt;unrepresentable BadRepr: RuntimeError(&#x27;cannot repr&#x27;)&gt;" in page


def test_text_traceback() -> None:
    text = debug_text(raise_and_catch(failing_view))
    assert text.startswith("Traceback (most recent call last):")
    assert text.rstrip().endswith("ValueError: bad order 7 <img src=x onerror=alert(1)>")


def test_max_repr_is_a_sane_size() -> None:
    assert 100 <= MAX_REPR <= 2000
