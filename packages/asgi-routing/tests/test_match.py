from asgi_routing import Match, NoMatchFound


def test_match_values() -> None:
    assert [m.value for m in Match] == [0, 1, 2]


def test_no_match_found_message() -> None:
    # Starlette's text, with the empty params too
    assert str(NoMatchFound("home", {})) == 'No route exists for name "home" and params "".'
    assert (
        str(NoMatchFound("user", {"id": 1})) == 'No route exists for name "user" and params "id".'
    )
    assert (
        str(NoMatchFound("user", {"x": 2, "id": 1, "c": None}))
        == 'No route exists for name "user" and params "x, id, c".'
    )
