"""Checks that run before a reader opens a document, counting the real work it would do.

Sizes a container declares are the attacker's to choose: a zip's central directory can claim a
member of 1 KB that inflates to 190 MiB, and a PDF stream's ``/Length`` says nothing about what
its ``/FlateDecode`` filter produces. So every check here inflates the compressed bytes through
a counter (1 MiB at a time, nothing kept) and stops at the cap from :mod:`extract.limits`.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile

from .limits import MiB, InflationLimit, Limits, inflated_size, limit_flag

# ---------------------------------------------------------------------------------------------
# ZIP (DOCX and other OOXML)

_LOCAL_HEADER = struct.Struct("<4s5H3I2H")  # signature … name length, extra length


def zip_problem(data: bytes, limits: Limits) -> str | None:
    """Why this zip must not be opened (a limit flag), or None. Every member is inflated from its
    raw bytes with a counter: the member cap, the total cap, and a member whose real size differs
    from the size the zip declares (python-docx would read a lie) are each a reason."""
    total = 0
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None  # the reader reports a damaged container itself
    with z:
        for info in z.infolist():
            if info.is_dir():
                continue
            raw = _raw_member(data, info)
            if raw is None:
                continue  # unreadable header: the reader will fail on it and say so
            cap = min(limits.zip_member_bytes, limits.zip_total_bytes - total)
            if info.compress_type == zipfile.ZIP_STORED:
                real = len(raw)
                if real > cap:
                    return limit_flag(f"zip member {info.filename} holds {real // MiB} MiB, over the "
                                      f"{_cap_name(limits, total)} cap; not opened (a zip bomb?)")
            elif info.compress_type == zipfile.ZIP_DEFLATED:
                try:
                    real = inflated_size(raw, cap, wbits=-15)
                except InflationLimit:
                    return limit_flag(f"zip member {info.filename} inflates beyond the {_cap_name(limits, total)} cap "
                                      f"(the zip declares {_mib(info.file_size)}); not opened (a zip bomb?)")
                except Exception:
                    continue  # corrupt deflate data: python-docx raises and the report says so
            else:
                continue  # other methods: python-docx cannot read them either and says so
            if real != info.file_size:
                return limit_flag(f"zip member {info.filename} inflates to {_mib(real)} but the zip declares "
                                  f"{_mib(info.file_size)}; a lying container (a zip bomb?), not opened")
            total += real
    return None


def _cap_name(limits: Limits, total: int) -> str:
    if limits.zip_total_bytes - total < limits.zip_member_bytes:
        return f"{limits.zip_total_bytes // MiB} MiB total"
    return f"{limits.zip_member_bytes // MiB} MiB per-member"


def _mib(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n} bytes"


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The compressed bytes of a member, from its local header (the central directory's offset)."""
    off = info.header_offset
    if off < 0 or off + _LOCAL_HEADER.size > len(data):
        return None
    fields = _LOCAL_HEADER.unpack_from(data, off)
    if fields[0] != b"PK\x03\x04":
        return None
    name_len, extra_len = fields[-2], fields[-1]
    start = off + _LOCAL_HEADER.size + name_len + extra_len
    return data[start : start + info.compress_size]


# ---------------------------------------------------------------------------------------------
# PDF

_FLATE = {"FlateDecode", "Fl"}
_SHRINKING = {"ASCIIHexDecode", "AHx", "ASCII85Decode", "A85"}


# path-construction operators of a content stream (ISO 32000-1, 8.5.2): what pdfplumber turns
# into line, rect and curve objects, and what its table finder intersects
_PATH_OPS = re.compile(rb"\s(?:re|m|l|c|v|y)(?=\s)")


def pdf_page_problem(page_obj, limits: Limits) -> str | None:
    """Why a pdfminer page must not be interpreted, or None: its content streams (and the form
    XObjects it draws) inflate beyond ``pdf_stream_bytes`` together, or draw more than
    ``pdf_page_paths`` path operators (layout and table finding grow with them; 40,000
    rectangles take pdfplumber ~30 s on one page). Counted while inflating, nothing kept."""
    cap = limits.pdf_stream_bytes
    total = 0
    ops = [0]

    def scan(chunk: bytes) -> None:
        ops[0] += len(_PATH_OPS.findall(chunk))

    seen: set = set()
    try:
        streams = list(_page_streams(page_obj, seen))
    except Exception:
        return None  # a malformed page: pdfminer reports it while reading
    for s in streams:
        try:
            total += _stream_size(s, cap - total, scan)
        except InflationLimit:
            return f"its content streams inflate beyond {cap // MiB} MiB"
        except Exception:
            continue
        if ops[0] > limits.pdf_page_paths:
            return f"it draws over {limits.pdf_page_paths:,} paths"
    return None


def _page_streams(page_obj, seen, depth: int = 0):
    from pdfminer.pdftypes import PDFStream, resolve1

    for s in page_obj.contents:
        s = resolve1(s)
        if isinstance(s, PDFStream) and id(s) not in seen:
            seen.add(id(s))
            yield s
    yield from _form_streams(resolve1(page_obj.resources) or {}, seen, depth)


def _form_streams(resources, seen, depth):
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import PSLiteral

    if depth > 8 or not isinstance(resources, dict):
        return
    xobjects = resolve1(resources.get("XObject")) or {}
    if not isinstance(xobjects, dict):
        return
    for x in xobjects.values():
        x = resolve1(x)
        if not isinstance(x, PDFStream) or id(x) in seen:
            continue
        sub = resolve1(x.attrs.get("Subtype"))
        if isinstance(sub, PSLiteral) and sub.name == "Form":
            seen.add(id(x))
            yield x
            yield from _form_streams(resolve1(x.attrs.get("Resources")) or {}, seen, depth + 1)


def _stream_size(stream, cap: int, scan) -> int:
    """Bytes a content stream decodes to, counted (each piece shown to ``scan``); raises
    InflationLimit beyond ``cap``."""
    from pdfminer.psparser import PSLiteral

    if stream.data is not None:  # already decoded by pdfminer
        if len(stream.data) > cap:
            raise InflationLimit("decoded")
        scan(stream.data)
        return len(stream.data)
    data = stream.rawdata or b""
    filters = [f.name if isinstance(f, PSLiteral) else str(f) for f, _ in stream.get_filters()]
    if stream.decipher:
        return len(data)  # encrypted streams are decrypted by pdfminer; counted by the worker limits
    size = len(data)
    for f in filters:
        if f in _SHRINKING:  # text encodings of binary data (ReportLab writes ASCII85 then Flate): they only shrink it
            from pdfminer.ascii85 import ascii85decode, asciihexdecode

            data = ascii85decode(data) if f in ("ASCII85Decode", "A85") else asciihexdecode(data)
            size = len(data)
            continue
        if f in _FLATE:
            return inflated_size(data, cap, scan=scan)
        return size  # LZW, run-length …: rare in content streams; the worker limits bound them
    if size > cap:
        raise InflationLimit("raw")
    scan(data)
    return size
