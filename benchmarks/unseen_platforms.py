"""Recall, false positives and robots violations of the crawl on portal shapes it was not built for.

For each mock in ``nianbao.portal.platforms.UNSEEN`` (each built from real evidence named in its
docstring), crawl it three ways — from the column URL a source would list, from the home page with
``--discover``, from the home page without it — and probe it; print one line per crawl.

    python benchmarks/unseen_platforms.py [name ...]
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.schema import connect  # noqa: E402
from nianbao.portal import PortalServer  # noqa: E402
from nianbao.portal.platforms import UNSEEN  # noqa: E402
from nianbao.portal.platforms.common import local  # noqa: E402


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)


def crawl(name: str, mode: str) -> str:
    site = UNSEEN[name]()
    with tempfile.TemporaryDirectory() as tmp, PortalServer(site) as server:
        db = Path(tmp) / "c.db"
        proc = run("crawl", *site.start_args(server, mode), "--db", db)
        rows = list(connect(db).query("select url from reports")) if db.exists() else []
        stored = {local(r["url"]) for r in rows}
        expected = set(site.expected_reports)
        robots = [p for _, p, _ in server.log if p.startswith(site.forbidden_prefix)]
        short = re.search(r"shortfall[^\n]*", proc.stdout)
    return (f"{name:10s} {mode:8s} recall {len(stored & expected)}/{len(expected)}"
            f" false+ {len(stored - expected)} robots {len(robots)} rc {proc.returncode}"
            + (f" | {short.group(0)[:100]}" if short else ""))


def probe(name: str) -> str:
    site = UNSEEN[name]()
    with PortalServer(site) as server:
        proc = run("probe", server.url(site.home_path))
    cols = re.findall(r"^column: (\S+)", proc.stdout, re.M)
    top = sum(int(n) for n in re.findall(r"^  reports listed: (\d+)", proc.stdout, re.M))
    subs = sum(int(n) for n in re.findall(r"^sub-columns and units: \d+, (\d+) reports listed", proc.stdout, re.M))
    return f"{name:10s} probe    columns {[local(c) for c in cols]} listed {top + subs}/{len(site.expected_reports) + len(site.disallowed_reports)}"


if __name__ == "__main__":
    names = sys.argv[1:] or list(UNSEEN)
    for n in names:
        for mode in ("column", "discover", "home"):
            print(crawl(n, mode), flush=True)
        print(probe(n), flush=True)
