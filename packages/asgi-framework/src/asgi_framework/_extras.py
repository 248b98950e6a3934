"""The optional parts of asgi-framework and the error a module raises when its extra is missing."""

from __future__ import annotations

__all__ = ["missing_extra"]


def missing_extra(module: str, extra: str) -> ImportError:
    """The ``ImportError`` for ``module`` when the packages of ``extra`` are not installed.

    Raise it ``from`` the original ``ImportError``, which then shows as the cause.
    """
    return ImportError(
        f"{module} needs the {extra!r} extra: pip install 'asgi-framework[{extra}]'",
        name=module,
    )
