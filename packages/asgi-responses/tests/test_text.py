from asgi_responses import HTMLResponse, PlainTextResponse


def test_plain_text() -> None:
    response = PlainTextResponse("héllo")
    assert response.body == "héllo".encode()
    assert response.raw_headers == [
        (b"content-length", b"6"),
        (b"content-type", b"text/plain; charset=utf-8"),
    ]


def test_html() -> None:
    response = HTMLResponse("<p>hi</p>", status_code=201, headers={"x-a": "1"})
    assert response.status_code == 201
    assert response.raw_headers == [
        (b"x-a", b"1"),
        (b"content-length", b"9"),
        (b"content-type", b"text/html; charset=utf-8"),
    ]


def test_media_type_override() -> None:
    response = PlainTextResponse("x", media_type="text/markdown")
    assert (b"content-type", b"text/markdown; charset=utf-8") in response.raw_headers
    assert PlainTextResponse("y").media_type == "text/plain"
