from __future__ import annotations

import io
import threading
from tempfile import SpooledTemporaryFile

import pytest

import asgi_core._upload as upload_module
from asgi_core import FormData, Headers, UploadFile

pytestmark = pytest.mark.anyio


class ThreadRecordingFile(io.BytesIO):
    """A BytesIO that records the threads its methods run in (counts as on-disk)."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.threads.add(threading.get_ident())
        return super().write(data)


async def test_upload_file_in_memory_roundtrip() -> None:
    spool = SpooledTemporaryFile(max_size=1024)
    upload = UploadFile(
        spool, size=0, filename="a.txt", headers=Headers({"content-type": "text/plain"})
    )
    await upload.write(b"hello ")
    await upload.write(b"world")
    assert upload.size == 11
    assert upload._in_memory
    await upload.seek(0)
    assert await upload.read() == b"hello world"
    await upload.seek(6)
    assert await upload.read(3) == b"wor"
    assert upload.content_type == "text/plain"
    assert upload.filename == "a.txt"
    await upload.close()
    assert spool.closed


async def test_upload_file_rolls_to_disk_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[int] = []
    real = upload_module.run_in_threadpool  # type: ignore[attr-defined]

    async def recording(func, *args):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return await real(func, *args)

    monkeypatch.setattr(upload_module, "run_in_threadpool", recording)
    spool = SpooledTemporaryFile(max_size=10)
    upload = UploadFile(spool, size=0)
    await upload.write(b"12345")
    assert threads == []  # still in memory: written directly
    await upload.write(b"678901")  # crosses max_size: the roll-over runs in a thread
    assert len(threads) == 1
    assert not upload._in_memory
    await upload.write(b"more")
    await upload.seek(0)
    assert await upload.read() == b"12345678901more"
    await upload.close()
    assert len(threads) == 5
    assert upload.size == 15


async def test_upload_file_other_file_objects_use_threads() -> None:
    raw = ThreadRecordingFile()
    upload = UploadFile(raw)
    await upload.write(b"data")
    assert upload.size is None
    assert raw.threads
    assert threading.get_ident() not in raw.threads
    await upload.seek(0)
    assert await upload.read() == b"data"
    await upload.close()
    assert raw.closed


async def test_upload_file_without_spool_limit_stays_in_memory() -> None:
    spool = SpooledTemporaryFile()  # max_size=0: never rolls over
    upload = UploadFile(spool)
    await upload.write(b"x" * 10_000)
    assert upload._in_memory
    await upload.close()


def test_upload_file_defaults_and_repr() -> None:
    upload = UploadFile(io.BytesIO(), filename="f.bin", size=3)
    assert upload.headers == Headers()
    assert upload.content_type is None
    assert repr(upload) == "UploadFile(filename='f.bin', size=3, headers=Headers({}))"


async def test_form_data_close_closes_files() -> None:
    first = UploadFile(io.BytesIO(b"1"))
    second = UploadFile(io.BytesIO(b"2"))
    form = FormData([("a", "text"), ("f", first)], g=second)
    assert form["a"] == "text"
    assert form.getlist("f") == [first]
    assert form["g"] is second
    await form.close()
    assert first.file.closed
    assert second.file.closed
    assert FormData(form) == form
    assert FormData({"x": "y"}).multi_items() == [("x", "y")]
