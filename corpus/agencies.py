"""One id per agency, stable across years, so its reports form a panel.

An agency's name wobbles from year to year: 示范县人民政府 / 示范县政府, a full-width bracket, the
county prefix dropped (官庄镇人民政府 on 安丘市's portal). Names are compared as normalised keys
within one *scope* (the agency's GB/T 2260 code, else its portal's host): equal keys, one key
ending the other, or keys that differ by a character or two are the same agency. Once given, an
id never changes: new names join an existing agency through ``agency_names``; an unseen agency
gets an id hashed from its scope and key.
"""
from __future__ import annotations

import difflib
import hashlib
import re

from extract.text import nfkc

_PUNCT = re.compile(r"[\s\u3000·•、，,。.:：;；\"“”‘’'()（）\[\]【】《》〈〉<>_\-—–]+")
_WORDING = ((r"人民政府", "政府"), (r"街道办事处$", "街道"), (r"办事处$", ""), (r"居民委员会$", "社区"), (r"居委会$", "社区"))


def agency_key(name: str | None) -> str:
    """The comparable form of an agency name: no spaces or punctuation, common variants unified."""
    key = _PUNCT.sub("", nfkc(name or ""))
    for pat, rep in _WORDING:
        key = re.sub(pat, rep, key)
    return key


def same_agency(a: str, b: str) -> bool:
    """Whether two keys in one scope name the same agency (one drops a prefix, or a typo)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.endswith(short):
        return True
    return (len(short) >= 5 and short[-2:] == long_[-2:]
            and difflib.SequenceMatcher(None, a, b).ratio() >= 0.88)


def assign(db, *, agency: str | None, place: dict, host: str | None) -> str | None:
    """The agency id of a report (creating the agency if unseen). Call inside the report's transaction."""
    key = agency_key(agency)
    if not key:
        return None
    scope = place.get("admin_code") or host or ""
    row = db.execute("select agency_id from agency_names where scope = ? and key = ?", [scope, key]).fetchone()
    if row:
        return row[0]
    agency_id = None
    for other_key, other_id in db.execute(
            "select key, agency_id from agency_names where scope = ? order by key", [scope]).fetchall():
        if same_agency(key, other_key):
            agency_id = other_id
            break
    if agency_id is None:
        agency_id = hashlib.sha1(f"{scope}|{key}".encode("utf-8")).hexdigest()[:12]
        db["agencies"].insert({
            "agency_id": agency_id, "name": agency, "scope": scope,
            **{k: place.get(k) for k in ("level", "agency_type", "province", "city", "county", "admin_code")},
        }, pk="agency_id", ignore=True)
    db["agency_names"].insert({"scope": scope, "key": key, "agency_id": agency_id, "name": agency},
                              pk=("scope", "key"), ignore=True)
    return agency_id
