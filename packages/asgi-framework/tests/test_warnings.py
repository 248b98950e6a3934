"""Deprecations raised below asgi-framework point at the user's line, not at ours."""

from __future__ import annotations

import warnings

import pytest

from asgi_core import AsgiDeprecationWarning, warn_deprecated
from asgi_framework._warnings import deprecations_point_at_caller


def delegating() -> None:
    with deprecations_point_at_caller(stacklevel=2):
        warn_deprecated("old")  # would point at this line
        warnings.warn_explicit("not a deprecation", RuntimeWarning, "elsewhere.py", 7)


def test_deprecations_move_and_other_warnings_stay() -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        delegating()
    deprecation, other = record
    assert (deprecation.category, deprecation.filename) == (AsgiDeprecationWarning, __file__)
    assert (other.category, other.filename, other.lineno) == (RuntimeWarning, "elsewhere.py", 7)


def test_the_old_status_names_point_at_the_user() -> None:
    from asgi_framework import status

    with pytest.warns(AsgiDeprecationWarning, match="HTTP_422_UNPROCESSABLE_ENTITY") as record:
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    with pytest.warns(AsgiDeprecationWarning, match="HTTP_413_REQUEST_ENTITY_TOO_LARGE") as also:
        from asgi_framework.status import HTTP_413_REQUEST_ENTITY_TOO_LARGE

    assert HTTP_413_REQUEST_ENTITY_TOO_LARGE == 413
    assert [w.filename for w in [*record, *also]] == [__file__, __file__]


def test_unknown_status_names_are_attribute_errors() -> None:
    from asgi_framework import status

    with pytest.raises(AttributeError):
        status.HTTP_999_NOTHING  # noqa: B018 - the access is the test
