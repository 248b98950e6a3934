import warnings

import pytest

from asgi_core import AsgiDeprecationWarning, warn_deprecated


def old_api() -> None:
    warn_deprecated("old_api() is deprecated; use new_api().")


def test_warning_is_a_visible_user_warning() -> None:
    assert issubclass(AsgiDeprecationWarning, UserWarning)
    assert not issubclass(AsgiDeprecationWarning, DeprecationWarning)


def test_warning_points_at_the_caller() -> None:
    with pytest.warns(AsgiDeprecationWarning, match=r"old_api\(\) is deprecated") as record:
        old_api()
    assert record[0].filename == __file__
    assert record[0].lineno == test_warning_points_at_the_caller.__code__.co_firstlineno + 2


def test_default_filters_show_it() -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.resetwarnings()
        warnings.simplefilter("default")
        old_api()
    assert [w.category for w in record] == [AsgiDeprecationWarning]
