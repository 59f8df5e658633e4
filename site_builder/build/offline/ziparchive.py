"""A zip written front to back in one pass, each entry deflated from its file or copied, still
compressed, from a zip this module wrote before: what the offline copy (offline.py) needs.

Why not Python's zipfile: it has no public way to copy an entry's compressed bytes (that
takes its private `_open_to_write`, with `ZipInfo` fields it computes itself set by hand,
free to change in any release), and writing to a file it can seek in, it goes back over each
local header once the entry's sizes are known, so what it writes cannot be hashed as it is
written (`OutputDir.write_from`), only read back. Here each file is deflated before its
header is written (the compressed bytes held, past `SPOOL` in a temporary file), so every
byte is written once, in order. The format (PKWARE's APPNOTE) takes little: local headers,
the data, the central directory, and the ZIP64 records zipfile writes where it does, past
65,535 entries (a 50,000-paper site has about 65,000 files) or offsets or sizes of 2 GiB.
The bytes are the very ones zipfile writes for the same entries (tests/test_ziparchive.py
compares them, and reads every zip back with zipfile); `EarlierZip` reads only zips of this
module's making, and refuses (copies nothing from) anything else.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO, NamedTuple, Protocol

LOCAL = struct.Struct("<4s2B4HL2L2H")  # a local file header: zipfile's structFileHeader
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory record
END = struct.Struct("<4s4H2LH")  # the end of central directory record
END64 = struct.Struct("<4sQ2H2L4Q")  # the ZIP64 end of central directory record
LOCATOR64 = struct.Struct("<4sLQL")  # … and where it is
ZIP64_LIMIT = (1 << 31) - 1  # zipfile's: past it, a size or offset goes in a ZIP64 field
MORE = 0xFFFFFFFF  # a 32-bit size or offset "in the ZIP64 field"
DEFLATED, VERSION, VERSION64 = 8, 20, 45  # what it takes to extract: 2.0, or 4.5 for ZIP64
UNIX, PLAIN_644 = 3, 0o100644 << 16  # made on Unix; a plain file, rw-r--r--
UTF8_NAME = 0x800  # the flag of a name that is not ASCII
CHUNK = 1 << 20  # read and copied a megabyte at a time
SPOOL = 2 << 20  # a file's compressed bytes held in memory up to this, then in a temporary file


class Sink(Protocol):
    def write(self, data: bytes | bytearray | memoryview, /) -> object: ...


class Entry(NamedTuple):
    """An entry of an earlier zip, as its central directory gives it."""

    name: bytes
    crc: int
    compressed: int
    size: int
    offset: int  # of its local header


class ZipWriter:
    """Entries added in order to `sink`, then `close` writes the central directory. Every
    entry is deflated, dated `stamp`, Unix permissions 644."""

    def __init__(self, sink: Sink, stamp: tuple[int, ...], level: int, limit: int = ZIP64_LIMIT) -> None:
        year, month, day, hour, minute, second = stamp
        self._time = hour << 11 | minute << 5 | second // 2
        self._date = (year - 1980) << 9 | month << 5 | day
        self._sink, self._level, self._limit = sink, level, limit
        self._central = bytearray()  # 90 bytes or so an entry: 6 MB for 65,000
        self.offset = self.count = self.copied = 0

    def add(self, name: str, source: str) -> None:
        """The file at `source`, read once, a megabyte at a time, and deflated as `name`."""
        crc = size = 0
        packer = zlib.compressobj(self._level, zlib.DEFLATED, -15)  # zipfile's raw deflate
        with open(source, "rb") as handle, tempfile.SpooledTemporaryFile(SPOOL) as spool:
            while chunk := handle.read(CHUNK):
                crc, size = zlib.crc32(chunk, crc), size + len(chunk)
                spool.write(packer.compress(chunk))
            spool.write(packer.flush())
            compressed = spool.tell()
            spool.seek(0)
            self._entry(_encoded(name), crc, compressed, size, iter(lambda: spool.read(CHUNK), b""))

    def copy(self, name: str, size: int, earlier: EarlierZip) -> bool:
        """The entry `name` of `earlier`, still compressed, if it is there holding `size` bytes
        and its local header says what its central directory does; False, writing nothing,
        if not."""
        raw = _encoded(name)
        entry = earlier.find(raw)
        if entry is None or entry.size != size:
            return False
        start = earlier.data_start(entry)
        if start is None:
            return False
        self._entry(raw, entry.crc, entry.compressed, size, earlier.read(start, entry.compressed))
        self.copied += 1
        return True

    def _entry(self, raw: bytes, crc: int, compressed: int, size: int, data: Iterable[bytes]) -> None:
        flags = 0 if raw.isascii() else UTF8_NAME
        big = size > self._limit or compressed > self._limit
        # As zipfile: a ZIP64 field in the local header when the size is near the limit.
        extra = struct.pack("<2H2Q", 1, 16, size, compressed) if size * 1.05 > self._limit else b""
        if big and not extra:
            raise ValueError(f"{raw!r}: {compressed:,} bytes compressed from {size:,}")
        version = VERSION64 if big else VERSION
        sizes = (MORE, MORE) if big else (compressed, size)
        head = LOCAL.pack(
            b"PK\x03\x04", version, 0, flags, DEFLATED, self._time, self._date, crc,
            *sizes, len(raw), len(extra),
        )  # fmt: skip
        offset = self.offset
        self._write(head + raw + extra)
        written = 0
        for part in data:
            self._write(part)
            written += len(part)
        if written != compressed:
            raise OSError(f"{raw!r}: {written:,} compressed bytes, not {compressed:,}")
        more = [size, compressed] if big else []
        if offset > self._limit:
            more.append(offset)
        extra = struct.pack(f"<2H{len(more)}Q", 1, 8 * len(more), *more) if more else b""
        version = VERSION64 if more else VERSION
        record = CENTRAL.pack(
            b"PK\x01\x02", version, UNIX, version, 0, flags, DEFLATED, self._time, self._date, crc,
            *sizes, len(raw), len(extra), 0, 0, 0, PLAIN_644, MORE if offset > self._limit else offset,
        )  # fmt: skip
        self._central += record + raw + extra
        self.count += 1

    def close(self) -> None:
        """The central directory and its end records (ZIP64 ones too where zipfile writes them)."""
        start, size, count = self.offset, len(self._central), self.count
        self._write(self._central)
        if count > 0xFFFF or start > self._limit or size > self._limit:
            self._write(END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, start))
            self._write(LOCATOR64.pack(b"PK\x06\x07", 0, start + size, 1))
            count, size, start = min(count, 0xFFFF), min(size, MORE), min(start, MORE)
        self._write(END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))

    def _write(self, data: bytes | bytearray) -> None:
        self._sink.write(data)
        self.offset += len(data)


def _encoded(name: str) -> bytes:
    return name.encode("utf-8")  # ASCII for an ASCII name; else flagged UTF8_NAME


class EarlierZip:
    """A zip this module wrote, whose entries are looked up in name order (`find`) as its
    central directory is read, a record at a time: never held whole (65,000 at 50,000
    papers). Anything unexpected (another writer's zip, a cut one) ends the lookups."""

    def __init__(self, path: str) -> None:
        self._handle: BinaryIO = open(path, "rb")  # noqa: SIM115  # closed by `close`
        self._fd = self._handle.fileno()
        self._entries = self._read_entries()
        self._next: Entry | None = None

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> EarlierZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, name: bytes) -> Entry | None:
        """The entry `name`, looked for after the last one found: ask in name order."""
        while True:
            if self._next is None:
                self._next = next(self._entries, None)
                if self._next is None:
                    return None
            if self._next.name >= name:
                return self._next if self._next.name == name else None
            self._next = None

    def data_start(self, entry: Entry) -> int | None:
        """Where `entry`'s compressed bytes start, if its local header agrees with the central
        directory (name, deflated, CRC-32, sizes), else None."""
        head = os.pread(self._fd, LOCAL.size + len(entry.name) + 20, entry.offset)
        if len(head) < LOCAL.size:
            return None
        sig, _, _, flags, method, _, _, crc, compressed, size, length, extra = LOCAL.unpack_from(head)
        end = LOCAL.size + length
        if extra == 20 and len(head) >= end + 20:  # a ZIP64 field: the sizes are there
            tag, _, size, compressed = struct.unpack_from("<2H2Q", head, end)
            if tag != 1:
                return None
        elif extra:
            return None
        ours = sig == b"PK\x03\x04" and method == DEFLATED and not flags & 0x8  # no data descriptor
        same = (crc, compressed, size) == (entry.crc, entry.compressed, entry.size)
        return entry.offset + end + extra if ours and same and head[LOCAL.size : end] == entry.name else None

    def read(self, start: int, length: int) -> Iterator[bytes]:
        """`length` bytes from `start`, a megabyte at a time."""
        while length > 0:
            part = os.pread(self._fd, min(CHUNK, length), start)
            if not part:
                raise OSError(f"{self._handle.name}: ends {length:,} bytes short of an entry")
            yield part
            start, length = start + len(part), length - len(part)

    def _read_entries(self) -> Iterator[Entry]:
        try:
            count, start = self._directory()
        except (OSError, ValueError, struct.error):
            return
        handle = self._handle
        handle.seek(start)
        for _ in range(count):
            fixed = handle.read(CENTRAL.size)
            if len(fixed) < CENTRAL.size:
                return
            (sig, *_, crc, compressed, size, length, extra, comment, _, _, _, offset) = CENTRAL.unpack(fixed)
            name, more = handle.read(length), handle.read(extra)
            handle.seek(comment, os.SEEK_CUR)
            if sig != b"PK\x01\x02" or len(more) != extra:
                return
            ours = extra >= 12 and more[:2] == b"\x01\x00"  # the ZIP64 field, all our extra holds
            wide = iter(struct.unpack_from(f"<{(extra - 4) // 8}Q", more, 4) if ours else ())
            try:  # the ZIP64 field holds, in this order, what the 32-bit fields could not
                size = next(wide) if size == MORE else size
                compressed = next(wide) if compressed == MORE else compressed
                offset = next(wide) if offset == MORE else offset
            except StopIteration:
                return
            yield Entry(name, crc, compressed, size, offset)

    def _directory(self) -> tuple[int, int]:
        """How many entries the central directory holds, and where it starts."""
        end = self._handle.seek(0, os.SEEK_END) - END.size
        found = os.pread(self._fd, LOCATOR64.size + END.size, end - LOCATOR64.size)
        sig, _, _, _, count, _, start, comment = END.unpack_from(found, LOCATOR64.size)
        if sig != b"PK\x05\x06" or comment:
            raise ValueError("not a zip of ours")
        locator, _, at, _ = LOCATOR64.unpack_from(found)
        if locator == b"PK\x06\x07":
            sig, *_, count, _, start = END64.unpack(os.pread(self._fd, END64.size, at))
            if sig != b"PK\x06\x06":
                raise ValueError("not a zip of ours")
        return count, start
