from __future__ import annotations

import pytest

from asgi_core import AsgiDeprecationWarning, formparsers
from asgi_core.formparsers import FormMessage


def test_form_message_is_deprecated_as_in_starlette() -> None:
    # reading its members does not warn; calling it does, at the caller's line
    assert [member.name for member in FormMessage] == [
        "FIELD_START",
        "FIELD_NAME",
        "FIELD_DATA",
        "FIELD_END",
        "END",
    ]
    assert FormMessage.END.value == 5
    with pytest.warns(
        AsgiDeprecationWarning,
        match=r"^`FormMessage` is deprecated and will be removed in a future version\.$",
    ) as record:
        assert FormMessage(1) is FormMessage.FIELD_START
    assert record[0].filename == __file__


def test_the_module_is_laid_out_like_starlettes() -> None:
    assert set(formparsers.__all__) >= {
        "FormMessage",
        "FormParser",
        "MultiPartException",
        "MultiPartParser",
    }
