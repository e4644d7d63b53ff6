"""Files that appear whole or not at all.

Every file Siaga writes (scenario workbooks, templates, reports, plan files, orders) goes
through `atomic_write`: the bytes go to a hidden temporary file in the target's folder, are
flushed to disk, and the temporary file is renamed over the target. A reader sees the old
file or the new one, never half of either, even if the writer crashes or the power fails.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from siaga.core.data.text import Message, gettext_noop

# Why the disk refused, in the reader's words (the system's own text is English and names
# error numbers); any other refusal gets OTHER.
REASONS = {
    errno.ENOENT: gettext_noop("berkas atau folder tidak ditemukan"),
    errno.EACCES: gettext_noop("tidak ada izin untuk membuka atau menulis di tempat ini"),
    errno.EPERM: gettext_noop("tidak ada izin untuk membuka atau menulis di tempat ini"),
    errno.EROFS: gettext_noop("tempat ini hanya dapat dibaca (mis. flashdisk terkunci atau CD); pilih folder lain"),
    errno.ENOSPC: gettext_noop("disk penuh; kosongkan tempat atau pilih disk lain"),
    errno.EISDIR: gettext_noop("ini sebuah folder, bukan berkas"),
    errno.ENOTDIR: gettext_noop("salah satu bagian jalurnya berkas, bukan folder"),
    errno.ENAMETOOLONG: gettext_noop("nama berkas atau jalurnya terlalu panjang"),
}
OTHER = gettext_noop("disk menolak membaca atau menulis berkas ini")
NOT_TEXT = gettext_noop("bukan berkas teks UTF-8 (berkas Excel atau berkas lain?)")


@contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Open a binary file that replaces `path` when the `with` block ends without error.

    The folder is created if missing. The temporary file lives in the same folder (a rename
    across file systems is not atomic), and is fsynced before the rename; the folder is
    fsynced after it, so the rename itself survives a power cut. On any exception in the
    block, KeyboardInterrupt included, the temporary file is removed, `path` is left as it
    was, and the exception propagates. The new file has the temporary file's mode (0600).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


@contextmanager
def atomic_write_text(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """`atomic_write` for text. Newlines are written as given, never translated."""
    with atomic_write(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        yield text
        text.flush()
        # Detach so that the raw file is closed (after its fsync) by atomic_write alone.
        text.detach()


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, atomically (see `atomic_write`)."""
    with atomic_write(path) as f:
        f.write(data)


def reason(exc: BaseException) -> Message:
    """Why a file could not be read or written (`exc`, an OSError or a text that is not
    UTF-8), as a Message to render in the reader's language."""
    if isinstance(exc, UnicodeDecodeError):
        return Message(NOT_TEXT)
    return Message(REASONS.get(getattr(exc, "errno", None) or 0, OTHER))


def _fsync_folder(folder: Path) -> None:
    # A rename is durable only once the folder's entry is on disk. Windows cannot open a
    # folder as a file, and its renames need no such step.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
