import pickle

import pytest

from asgi_core import HTTPException, UsageError, WebSocketDisconnect, WebSocketException


def test_http_exception_defaults() -> None:
    exc = HTTPException(404)
    assert exc.status_code == 404
    assert exc.detail == "Not Found"
    assert exc.headers is None
    assert str(exc) == "404: Not Found"
    assert repr(exc) == "HTTPException(status_code=404, detail='Not Found')"


def test_http_exception_detail_and_headers() -> None:
    exc = HTTPException(401, "Log in first", headers={"WWW-Authenticate": "Bearer"})
    assert exc.detail == "Log in first"
    assert exc.headers == {"WWW-Authenticate": "Bearer"}
    assert str(exc) == "401: Log in first"
    assert exc.args == (401, "Log in first")


def test_http_exception_unknown_status_code() -> None:
    exc = HTTPException(599)
    assert exc.detail == ""
    assert str(exc) == "599: "


@pytest.mark.parametrize(
    ("status_code", "detail"),
    [(404, "Not Found"), (404.0, "Not Found"), (True, ""), ("404", ""), ([404], ""), (None, "")],
)
def test_http_exception_phrase_as_http_status_gives_it(status_code: object, detail: str) -> None:
    import http

    try:
        expected = http.HTTPStatus(status_code).phrase  # type: ignore[arg-type]
    except ValueError:
        expected = ""
    assert expected == detail  # what http.HTTPStatus says, also for odd status codes
    assert HTTPException(status_code).detail == detail  # type: ignore[arg-type]


def test_http_exception_subclass_repr() -> None:
    class TeapotError(HTTPException):
        pass

    assert repr(TeapotError(418)) == 'TeapotError(status_code=418, detail="I\'m a Teapot")'


def test_websocket_exception() -> None:
    exc = WebSocketException(1008)
    assert exc.code == 1008
    assert exc.reason == ""
    assert str(exc) == "1008: "
    assert repr(exc) == "WebSocketException(code=1008, reason='')"
    exc = WebSocketException(1011, "broken")
    assert str(exc) == "1011: broken"


def test_websocket_disconnect() -> None:
    exc = WebSocketDisconnect()
    assert exc.code == 1000
    assert exc.reason == ""
    # as Starlette: args, repr and str show the positional arguments it was made with
    assert repr(exc) == "WebSocketDisconnect()"
    assert str(exc) == ""
    exc = WebSocketDisconnect(1001, "going away")
    assert (exc.code, exc.reason) == (1001, "going away")
    assert repr(exc) == "WebSocketDisconnect(1001, 'going away')"
    assert str(exc) == "(1001, 'going away')"
    exc = WebSocketDisconnect(code=1006)
    assert (exc.args, exc.code, exc.reason) == ((), 1006, "")
    copied = pickle.loads(pickle.dumps(exc))
    assert (copied.code, copied.reason) == (1006, "")
    with pytest.raises(WebSocketDisconnect):
        raise exc


def test_usage_error_is_what_starlette_raises_and_a_value_error() -> None:
    error = UsageError("Cannot set both")
    assert isinstance(error, AssertionError)
    assert isinstance(error, ValueError)
    assert str(error) == "Cannot set both"
