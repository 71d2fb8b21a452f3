"""What a file is, read from its content (magic numbers, then the format's structure)."""

import codecs
from typing import IO

import filetype

CHUNK = 64 * 1024
HEAD = 8192


def _is_utf8_text(file: IO[bytes]) -> bool:
    """The whole file is UTF-8 with no control character but tab, LF, CR and form feed."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        while chunk := file.read(CHUNK):
            text = decoder.decode(chunk)
            if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text) or "\x7f" in text:
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def _structure_holds(mime: str, head: bytes, tail: bytes) -> bool:
    """Each format's first structure past its magic number: a PNG's start alone is no PNG."""
    if mime == "image/png":
        return head[12:16] == b"IHDR"
    if mime == "image/jpeg":
        # Start of image and a marker segment; cameras add data after the end marker, so no tail.
        return head[:3] == b"\xff\xd8\xff" and len(head) > 3 and 0xC0 <= head[3] <= 0xFE
    if mime == "image/webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:15] == b"VP8"
    if mime == "application/pdf":
        return head.startswith(b"%PDF-") and b"%%EOF" in tail
    return False


def detect(file: IO[bytes], size: int, allowed: set[str] | frozenset[str]) -> str | None:
    """The file's type among ``allowed`` (MIME types), or None."""
    file.seek(0)
    head = file.read(HEAD)
    file.seek(max(0, size - 1024))
    tail = file.read(1024)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        return mime if mime in allowed and _structure_holds(mime, head, tail) else None
    if "text/plain" in allowed and _is_utf8_text(file):
        return "text/plain"
    return None
