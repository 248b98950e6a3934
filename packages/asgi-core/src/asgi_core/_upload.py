"""``UploadFile`` (one uploaded file) and ``FormData`` (a parsed form)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, Union

from asgi_core._headers import Headers
from asgi_core._multidict import ImmutableMultiDict
from asgi_core.concurrency import run_in_threadpool

__all__ = ["FormData", "UploadFile"]


class UploadFile:
    """A file uploaded in a multipart form.

    ``file`` is usually a :class:`tempfile.SpooledTemporaryFile`: small uploads stay in
    memory and larger ones roll over to disk. The async methods run any operation that may
    touch the disk (including the roll-over itself) in a worker thread, so a slow disk never
    blocks the event loop; ``file`` itself can be used directly from sync code.
    """

    def __init__(
        self,
        file: IO[bytes],
        *,
        size: int | None = None,
        filename: str | None = None,
        headers: Headers | None = None,
    ) -> None:
        self.filename = filename
        self.file = file
        self.size = size
        self.headers = headers if headers is not None else Headers()
        # 0 means "never rolls over", like SpooledTemporaryFile(max_size=0)
        self._spool_limit: int = getattr(file, "_max_size", 0)

    @property
    def content_type(self) -> str | None:
        """The part's ``Content-Type``, or ``None``."""
        return self.headers.get("content-type")

    @property
    def _in_memory(self) -> bool:
        # SpooledTemporaryFile sets _rolled once its content moved to a real file;
        # any other file object is treated as being on disk.
        return not getattr(self.file, "_rolled", True)

    def _touches_disk(self, size_to_add: int = 0) -> bool:
        if not self._in_memory:
            return True
        return bool(self._spool_limit) and self.file.tell() + size_to_add > self._spool_limit

    async def write(self, data: bytes) -> None:
        """Append ``data`` (``size`` grows with it)."""
        if self.size is not None:
            self.size += len(data)
        if self._touches_disk(len(data)):
            await run_in_threadpool(self.file.write, data)
        else:
            self.file.write(data)

    async def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes (everything left by default)."""
        if self._in_memory:
            return self.file.read(size)
        return await run_in_threadpool(self.file.read, size)

    async def seek(self, offset: int) -> None:
        """Move to the absolute position ``offset``."""
        if self._in_memory:
            self.file.seek(offset)
        else:
            await run_in_threadpool(self.file.seek, offset)

    async def close(self) -> None:
        """Close the file (a rolled-over temporary file is deleted)."""
        if self._in_memory:
            self.file.close()
        else:
            await run_in_threadpool(self.file.close)

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(filename={self.filename!r}, "
            f"size={self.size!r}, headers={self.headers!r})"
        )


_FormSource = Union[
    "FormData",
    Mapping[str, Union[str, UploadFile]],  # noqa: UP007
    Iterable[tuple[str, Union[str, UploadFile]]],  # noqa: UP007
]


class FormData(ImmutableMultiDict[str, Union[UploadFile, str]]):  # noqa: UP007
    """A parsed form: an immutable multidict of strings and :class:`UploadFile` objects."""

    def __init__(self, *args: _FormSource, **kwargs: str | UploadFile) -> None:
        super().__init__(*args, **kwargs)

    async def close(self) -> None:
        """Close every uploaded file of the form."""
        for _, value in self.multi_items():
            if isinstance(value, UploadFile):
                await value.close()
