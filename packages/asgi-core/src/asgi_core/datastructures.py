"""The datastructures of the family, laid out like ``starlette.datastructures``."""

from asgi_core._headers import Headers, MutableHeaders
from asgi_core._multidict import ImmutableMultiDict, MultiDict, QueryParams
from asgi_core._upload import FormData, UploadFile
from asgi_core._url import URL, URLPath
from asgi_core._values import Address, CommaSeparatedStrings, Secret, State

__all__ = [
    "URL",
    "Address",
    "CommaSeparatedStrings",
    "FormData",
    "Headers",
    "ImmutableMultiDict",
    "MultiDict",
    "MutableHeaders",
    "QueryParams",
    "Secret",
    "State",
    "URLPath",
    "UploadFile",
]
