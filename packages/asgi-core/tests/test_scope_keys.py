from asgi_core import scope_keys


def test_every_key_constant_is_documented() -> None:
    constants = {
        value
        for name, value in vars(scope_keys).items()
        if name.isupper() and isinstance(value, str)
    }
    assert constants == set(scope_keys.SCOPE_KEYS)
    assert all(description.strip() for description in scope_keys.SCOPE_KEYS.values())


def test_starlette_compatible_keys() -> None:
    # the keys Starlette and FastAPI read must keep their names
    assert scope_keys.SESSION == "session"
    assert scope_keys.USER == "user"
    assert scope_keys.AUTH == "auth"
    assert scope_keys.PATH_PARAMS == "path_params"
    assert scope_keys.STATE == "state"
    assert scope_keys.ROUTE == "route"  # the matched route, as Starlette 1.7+ sets it
    assert scope_keys.ROUTER == "router"
    assert scope_keys.ENDPOINT == "endpoint"


def test_the_error_send_key_of_asgi_framework() -> None:
    # ServerErrorMiddleware and ExceptionMiddleware share the holder under this name
    assert scope_keys.ERROR_SEND == "asgi_framework.error_send"
    assert "ExceptionMiddleware" in scope_keys.SCOPE_KEYS[scope_keys.ERROR_SEND]
