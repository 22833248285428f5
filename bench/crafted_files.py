"""Crafted files that cost far more to read than their size says, written byte for byte (the bench measures their
refusal, the tests assert it).

zipfile only writes what it compresses itself; these archives hold deflate streams made here:
``chunk * repeats`` compressed once (after a full flush every later chunk compresses to the
same bytes, so a gigabyte costs the time of one megabyte) with its true CRC-32 and sizes.
"""

from __future__ import annotations

import io
import struct
import zlib

from openpyxl import Workbook

ROW_XML = b'<row><c t="inlineStr"><is><t>bombe</t></is></c></row>'


def repeated_deflate(chunk: bytes, repeats: int) -> tuple[bytes, int]:
    """A raw deflate stream inflating to ``chunk * repeats``, and that content's CRC-32."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * repeats + compressor.flush()
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    return stream, crc


def deflated(data: bytes) -> tuple[bytes, int, int]:
    """``data`` as a raw deflate stream, with its inflated size and CRC-32 (a member of :func:`crafted_zip`)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)


def crafted_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, deflated bytes, inflated size, CRC-32) members: local headers, data, central directory."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, stream, size, crc in members:
        offset, encoded = out.tell(), name.encode()
        header = (20, 0, 8, 0, 0x21, crc, len(stream), size, len(encoded))
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *header, 0) + encoded + stream)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *header, 0, 0, 0, 0, 0, offset) + encoded)
    directory = central.getvalue()
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), out.tell(), 0)
    return out.getvalue() + directory + end


def make_bomb_xlsx(inflated_mb: int) -> bytes:
    """A workbook whose one sheet inflates to ``inflated_mb`` Mo of rows, a few hundred times its size, with the
    parts Excel writes; its declared sizes and checksums are true."""
    chunk = (ROW_XML * (1 + (1 << 20) // len(ROW_XML)))[: 1 << 20]
    stream, crc = repeated_deflate(chunk, inflated_mb)
    parts = [
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
        ("xl/workbook.xml", b'<?xml version="1.0"?><workbook/>'),
    ]
    members = [(name, *deflated(data)) for name, data in parts]
    members.append(("xl/worksheets/sheet1.xml", stream, inflated_mb << 20, crc))
    return crafted_zip(members)


def make_far_cell_xlsx() -> bytes:
    """A 5 kB workbook with a header, a place and one cell at XFD20000: calamine makes the sheet a dense range of
    16 384 × 20 000 cells, about 10 GB."""
    book = Workbook()
    book.active.append(["nom", "insee"])
    book.active.append(["Lieu", "01001"])
    book.active["XFD20000"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
