from typing import Any

import pytest

from asgi_core import Middleware


class Example:
    def __init__(self, app: Any, *args: Any, **kwargs: Any) -> None:
        self.app = app


def test_middleware_unpacks() -> None:
    middleware = Middleware(Example, 1, "two", flag=True)
    cls, args, kwargs = middleware
    assert cls is Example
    assert args == (1, "two")
    assert kwargs == {"flag": True}


def test_middleware_repr() -> None:
    assert repr(Middleware(Example)) == "Middleware(Example)"
    assert repr(Middleware(Example, 1, name="x")) == "Middleware(Example, 1, name='x')"


def test_middleware_repr_of_callable_without_name() -> None:
    class Factory:
        def __call__(self, app: Any) -> Any:
            return app

    assert repr(Middleware(Factory(), 3)) == "Middleware(, 3)"


def test_middleware_refuses_non_callables() -> None:
    with pytest.raises(
        TypeError,
        match="Middleware expects a middleware class or factory as first argument, got 'cors'",
    ):
        Middleware("cors")
