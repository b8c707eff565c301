"""Text of legacy Word (.doc, Word 97–2003) and WPS files: the OLE ``WordDocument`` stream.

Many portals still attach .doc files (and Kingsoft WPS files, which use the same binary layout).
The text is reassembled from the piece table (CLX) of the FIB; table cells end with the cell
mark ``\\x07`` and a row with a second one, so tables come out as tab-separated rows that the
text-layout reader handles. Field codes (``\\x13 instruction \\x14 result \\x15``) keep their result.
"""
from __future__ import annotations

import io
import struct

import olefile


class NotWordDocument(ValueError):
    pass


def doc_text(data: bytes, max_chars: int | None = None, cut: list | None = None) -> str:
    """The document's text. The piece table may point many pieces at the same bytes (a 1 MB file
    could claim gigabytes of text), so at most ``max_chars`` characters are assembled; when the
    table claims more, ``cut`` (if given) receives the number it claimed."""
    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        if not ole.exists("WordDocument"):
            raise NotWordDocument("no WordDocument stream (not a Word 97–2003 or WPS document)")
        word = ole.openstream("WordDocument").read()
        if len(word) < 0x01AA or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
            raise NotWordDocument("WordDocument stream without a Word 97 FIB")
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        if flags & 0x0100:
            raise NotWordDocument("the document is encrypted")
        table_name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            raise NotWordDocument(f"missing {table_name} stream")
        table = ole.openstream(table_name).read()
        fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x01A2)
        clx = table[fc_clx : fc_clx + lcb_clx]
        return _clean(_pieces(clx, word, max_chars, cut))
    finally:
        ole.close()


def _pieces(clx: bytes, word: bytes, max_chars: int | None = None, cut: list | None = None) -> str:
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: property modifiers, skipped
        (cb,) = struct.unpack_from("<H", clx, i + 1)
        i += 3 + cb
    if i >= len(clx) or clx[i] != 0x02:
        raise NotWordDocument("no piece table")
    (lcb,) = struct.unpack_from("<I", clx, i + 1)
    plc = clx[i + 5 : i + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out, total, claimed = [], 0, 0
    for k in range(n):
        pcd = plc[4 * (n + 1) + 8 * k : 4 * (n + 1) + 8 * (k + 1)]
        (fc,) = struct.unpack_from("<I", pcd, 2)
        length = cps[k + 1] - cps[k]
        if length <= 0 or length > 50_000_000:
            continue
        claimed += length
        if max_chars is not None and total + length > max_chars:
            continue  # counted, not assembled
        if fc & 0x40000000:  # 8-bit (cp1252) text
            start = (fc & ~0x40000000) // 2
            out.append(word[start : start + length].decode("cp1252", "replace"))
        else:
            out.append(word[fc : fc + 2 * length].decode("utf-16-le", "replace"))
        total += len(out[-1])
    if cut is not None and max_chars is not None and claimed > max_chars:
        cut.append(claimed)
    return "".join(out)


def _clean(text: str) -> str:
    # field codes: keep the result, drop the instruction
    out, depth, skipping = [], 0, []
    for ch in text:
        if ch == "\x13":
            depth += 1
            skipping.append(True)
        elif ch == "\x14" and depth:
            skipping[-1] = False
        elif ch == "\x15" and depth:
            depth -= 1
            skipping.pop()
        elif not (skipping and skipping[-1]):
            out.append(ch)
    text = "".join(out)
    # Table cells end with \x07 and a row with one more; without the paragraph properties an
    # empty cell cannot be told from a row end, so cells go out one per line and the
    # label-driven token reader groups them into rows (a lost blank flags its row, never shifts it).
    text = text.replace("\x07", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    lines = [l.strip() for l in text.split("\r")]
    return "\n".join(lines)
