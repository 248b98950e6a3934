from __future__ import annotations

from pathlib import Path

import pytest

from asgi_core import CommaSeparatedStrings, Secret
from asgi_framework.config import Config, Environ, EnvironError, undefined


def test_environ_refuses_changes_after_reading() -> None:
    environ = Environ({"A": "1"})
    environ["B"] = "2"
    del environ["B"]
    assert environ["A"] == "1"
    with pytest.raises(
        EnvironError,
        match=r"Attempting to set environ\['A'\], but the value has already been read.",
    ):
        environ["A"] = "2"
    with pytest.raises(EnvironError, match=r"Attempting to delete environ\['A'\]"):
        del environ["A"]
    assert list(environ) == ["A"]
    assert len(environ) == 1


def test_values_from_environ_file_and_defaults(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\nDATABASE_URL='sqlite:///db.sqlite'\nDEBUG=true\n"
        "HOSTS=a.org, b.org\nEMPTY=\nnot a setting\n"
    )
    config = Config(env_file, environ=Environ({"DEBUG": "0", "APP_SECRET": "s3cret"}))
    assert config("DATABASE_URL") == "sqlite:///db.sqlite"
    assert config("DEBUG", cast=bool) is False  # the environment wins over the file
    assert list(config("HOSTS", cast=CommaSeparatedStrings)) == ["a.org", "b.org"]
    secret = config("APP_SECRET", cast=Secret)
    assert str(secret) == "s3cret"
    assert repr(secret) == "Secret('**********')"
    assert config("EMPTY") == ""
    assert config("MISSING", default="fallback") == "fallback"
    assert config("MISSING", cast=int, default="5") == 5
    assert config("MISSING", default=None) is None
    assert config("MISSING", cast=int, default=None) is None
    assert config.get("DEBUG") == "0"


def test_prefix_and_errors() -> None:
    config = Config(
        environ=Environ({"APP_PORT": "80x", "APP_FLAG": "maybe", "APP_OK": "TRUE"}),
        env_prefix="APP_",
    )
    assert config("OK", cast=bool) is True
    with pytest.raises(ValueError, match="Config 'APP_PORT' has value '80x'. Not a valid int."):
        config("PORT", cast=int)
    with pytest.raises(ValueError, match="Config 'APP_FLAG' has value 'maybe'. Not a valid bool."):
        config("FLAG", cast=bool)
    with pytest.raises(KeyError, match="Config 'APP_NOPE' is missing, and has no default."):
        config("NOPE")
    assert undefined is not None


def test_missing_env_file_warns(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Config file '.*missing.env' not found."):
        Config(tmp_path / "missing.env")


def test_casts_without_a_name() -> None:
    class Odd:
        def __call__(self, value: str) -> str:
            raise TypeError("nope")

    config = Config(environ=Environ({"X": "1"}))
    with pytest.raises(ValueError, match="Config 'X' has value '1'. Not a valid <"):
        config("X", cast=Odd())


def test_only_matching_quotes_are_removed(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SINGLE='a b'\nDOUBLE=\"a b\"\nMISMATCH='a\"\nLONE='\nEMPTY=''\nNESTED=\"'a'\"\n"
        "TRIPLE='''a'''\nINNER=a'b'\nSPACED= ' a ' \n"
    )
    config = Config(env_file, environ={})
    assert config.file_values == {
        "SINGLE": "a b",
        "DOUBLE": "a b",
        "MISMATCH": "'a\"",  # kept as written, as Starlette does
        "LONE": "'",
        "EMPTY": "",
        "NESTED": "'a'",  # one pair only
        "TRIPLE": "''a''",
        "INNER": "a'b'",
        "SPACED": " a ",
    }
