"""A dump's bytes → text: UTF-8 line by line, a byte-order mark's encoding, or Windows-1252.

Real dumps are pasted by hand, saved by Notepad or scraped: one bad byte must cost only its
line, and a binary file must be refused rather than read as a page of symbols.
"""

from __future__ import annotations

import re

from site_builder.core.errors import Problem

LINE_END = re.compile(r"\r\n|\r|\n")
_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


# UTF-32 first: its little-endian mark begins with UTF-16's.
_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _utf16_without_mark(data: bytes) -> str | None:
    """The UTF-16 byte order of text saved without its mark (an editor's "UTF-16 LE"): mostly
    Latin text, so every other byte is NUL, and it decodes whole. It was refused as binary."""
    head = data[:4096]
    if len(data) % 2 or len(head) < 8:
        return None
    for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


def _stray_nuls(data: bytes) -> bool:
    """A few NUL bytes in what is otherwise UTF-8 text: a paste's, not a binary file's."""
    return data.count(b"\x00", 0, 65536) <= 8 and _valid(data.replace(b"\x00", b""))


def decode(data: bytes, label: str) -> tuple[str | None, list[Problem], frozenset[int]]:
    """Bytes → (text, problems, numbers of lines that are not valid UTF-8).

    UTF-8 (with or without BOM) line by line: a bad byte spoils only its own line, which is
    reported (and its entry skipped by the parser). Only a file with no valid multi-byte
    UTF-8 sequence at all is read as Windows-1252, with a warning. UTF-16 and UTF-32 are
    read when their byte-order mark says so. Binary (NUL bytes, more than a few) is refused.
    """
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):  # Notepad's "Unicode": the mark says how to read it
            text = data[len(bom) :].decode(codec, errors="replace")
            if "\ufffd" not in text:
                return text, [], frozenset()
            message = f"not valid {codec.upper()} after its byte-order mark; bad characters shown as \ufffd"
            return text, [Problem(label, 0, message, "warning")], frozenset()
    stray: list[Problem] = []
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_mark(data)
        if utf16 is not None:
            message = f"UTF-16 without a byte-order mark, read as {utf16.upper()}; save dumps as UTF-8"
            return data.decode(utf16), [Problem(label, 0, message, "warning")], frozenset()
        if not _stray_nuls(data):
            return (
                None,
                [Problem(label, 0, "binary file (contains NUL bytes), skipped; dumps must be text")],
                frozenset(),
            )
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        stray = [Problem(label, line, "NUL bytes in the text (a paste's); dropped", "warning")]
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), stray, frozenset()
    except UnicodeDecodeError as err:
        first_bad = len(LINE_END.split(data[: err.start].decode("latin-1")))
        if not any(_valid(m.group(0)) for m in _MULTIBYTE.finditer(data)):
            message = (
                f"not valid UTF-8 (byte 0x{data[err.start]:02x}) and no UTF-8 anywhere in the file; "
                "read as Windows-1252 — re-save the file as UTF-8 to be sure"
            )
            return (
                data.decode("cp1252", errors="replace"),
                [Problem(label, first_bad, message, "warning")],
                frozenset(),
            )
    lines, bad, problems = [], set(), []
    for number, raw in enumerate(LINE_END.split(data.decode("latin-1")), start=1):
        piece = raw.encode("latin-1")
        try:
            lines.append(piece.decode("utf-8"))
        except UnicodeDecodeError as err:
            bad.add(number)
            lines.append(piece.decode("utf-8", errors="replace"))
            problems.append(
                Problem(
                    label,
                    number,
                    f"not valid UTF-8 (byte 0x{piece[err.start]:02x}); this line's entry is skipped",
                    "warning",
                )
            )
    return "\n".join(lines), problems, frozenset(bad)


def _valid(sequence: bytes) -> bool:
    try:
        sequence.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
