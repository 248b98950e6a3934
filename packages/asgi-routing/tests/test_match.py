from asgi_routing import Match, NoMatchFound


def test_match_values() -> None:
    assert [m.value for m in Match] == [0, 1, 2]


def test_no_match_found_message() -> None:
    assert str(NoMatchFound("home", {})) == 'No route exists for name "home".'
    assert (
        str(NoMatchFound("user", {"id": 1, "x": 2}))
        == 'No route exists for name "user" and params "id, x".'
    )
