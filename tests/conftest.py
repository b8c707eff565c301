import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
GOLD_KEYS = ["agency", "year", "format", "active_disclosure", "applications", "review_litigation"]


def free_port() -> int:
    """A free TCP port on loopback, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_names():
    return sorted(p.stem for p in (FIXTURES / "seeds").glob("*.txt"))


def store_seeds(path) -> Path:
    """A corpus database at ``path`` holding the five seed reports (tests of what is published)."""
    from corpus.load import store_report
    from corpus.schema import connect
    from extract.documents import extract_document

    db = connect(path)
    for f in sorted((FIXTURES / "seeds").glob("*.txt")):
        store_report(db, extract_document(f.read_bytes()), url=f"http://127.0.0.1/seeds/{f.name}")
    db.conn.close()
    return path


def gold(stem: str) -> dict:
    return json.loads((FIXTURES / "gold" / f"{stem}.json").read_text(encoding="utf-8"))


def nianbao(*args, check=True, timeout=300, env=None):
    """Run the command line as a user would (a fresh process: Scrapy's reactor starts once per process)."""
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "nianbao.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"nianbao {' '.join(map(str, args))} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def run_nianbao():
    return nianbao
