"""One id per agency, stable across years, so its reports form a panel.

An agency's name wobbles from year to year: 示范县人民政府 / 示范县政府, a full-width bracket, the
county prefix dropped (官庄镇人民政府 on 安丘市's portal). Names are compared as normalised keys
within one *scope* (the agency's GB/T 2260 code, else its portal's host): equal keys, one key
ending the other (a prefix dropped) are the same agency. Names that differ by one character are
not: 教育局 and 体育局, 第一中学 and 第二中学 are different agencies far more often than a typo is a
typo. Once given, an id never changes: new names join an existing agency through ``agency_names``;
an unseen agency gets an id hashed from its scope and key.

Matching is by index, never by scanning a scope: a portal can host thousands of agencies, and a
crawl must not slow down as it meets more of them (benchmarks/crawl_bench.py).
"""
from __future__ import annotations

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


MIN_SUFFIX = 3  # a shorter key names the same agency only if it keeps at least this much


def same_agency(a: str, b: str) -> bool:
    """Whether two keys in one scope name the same agency (equal, or one drops a prefix)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= MIN_SUFFIX and long_.endswith(short)


def reversed_key(key: str) -> str:
    """Keys ending the same way sort together when reversed: the index that finds longer names."""
    return key[::-1]


def assign(db, *, agency: str | None, place: dict, host: str | None) -> str | None:
    """The agency id of a report (creating the agency if unseen). Call inside the report's transaction."""
    key = agency_key(agency)
    if not key:
        return None
    scope = place.get("admin_code") or host or ""
    row = db.execute("select agency_id from agency_names where scope = ? and key = ?", [scope, key]).fetchone()
    if row:
        _prefer_name(db, row[0], agency)
        return row[0]
    agency_id = _match(db, scope, key)
    if agency_id is None:
        agency_id = hashlib.sha1(f"{scope}|{key}".encode("utf-8")).hexdigest()[:12]
        db["agencies"].insert({
            "agency_id": agency_id, "name": agency, "scope": scope,
            **{k: place.get(k) for k in ("level", "agency_type", "province", "city", "county", "admin_code")},
        }, pk="agency_id", ignore=True)
    else:
        _prefer_name(db, agency_id, agency)
    db["agency_names"].insert({"scope": scope, "key": key, "rkey": reversed_key(key), "agency_id": agency_id,
                               "name": agency}, pk=("scope", "key"), ignore=True)
    return agency_id


def _prefer_name(db, agency_id: str, name: str) -> None:
    """The agency's display name is the fullest form seen (示范县人民政府 over 示范县政府, the name
    with its county prefix over the one without), ties to the smallest in code-point order: the same
    whatever order the reports arrive in, which a crawl's concurrent extraction does not fix."""
    db.execute("update agencies set name = ? where agency_id = ? and (length(name) < length(?) "
               "or (length(name) = length(?) and name > ?))", [name, agency_id, name, name, name])


def _match(db, scope: str, key: str) -> str | None:
    """The agency of the first known key (in key order) that ``same_agency`` pairs with ``key``:
    a shorter key that ends it (looked up by value) or a longer key it ends (a range of the
    reversed-key index)."""
    suffixes = [key[i:] for i in range(1, len(key) - MIN_SUFFIX + 1)]
    found = []
    if suffixes:
        found += db.execute(f"select key, agency_id from agency_names where scope = ? and key in ({', '.join('?' * len(suffixes))})",
                            [scope, *suffixes]).fetchall()
    if len(key) >= MIN_SUFFIX:
        rk = reversed_key(key)
        found += db.execute("select key, agency_id from agency_names where scope = ? and rkey > ? and rkey < ?",
                            [scope, rk, rk + "\U0010ffff"]).fetchall()
    return min(found)[1] if found else None
