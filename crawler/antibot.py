"""Recognise WAF / anti-bot challenge answers (HTTP 412/521, JavaScript cookie pages).

Portals behind cloud WAFs (e.g. 创宇云防御, 加速乐) answer bursts with a page that sets a cookie in
JavaScript and reloads. Such a page is not the document: it is recorded as a failure with its
reason and not retried in a loop (retrying only feeds the WAF); a later, slower crawl may pass.
"""
from __future__ import annotations

import re

CHALLENGE_STATUSES = {412, 521}
_JS_COOKIE = re.compile(rb"document\.cookie\s*=|__jsl_clearance|acw_sc__v2|_waf_|cdn_sec_tc|location\.(?:reload|href)\s*=", re.I)
_CJK = re.compile("[\u4e00-\u9fff]")


def challenge_reason(status: int, body: bytes) -> str | None:
    if status in CHALLENGE_STATUSES:
        return f"anti-bot challenge (HTTP {status}): not the document; try again later with a slower crawl"
    head = body[:8192]
    if len(body) < 20000 and _JS_COOKIE.search(head):
        text = head.decode("utf-8", "ignore")
        if len(_CJK.findall(re.sub(r"<script.*?</script>", "", text, flags=re.S))) < 20:
            return "anti-bot challenge page (JavaScript cookie check): not the document"
    return None
