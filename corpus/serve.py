"""Publish a corpus database with Datasette and the project's metadata."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "datasette_metadata.json"
PLUGINS = Path(__file__).resolve().parent / "datasette_plugins"


def datasette_args(db: str | Path, host: str = "127.0.0.1", port: int = 8001, metadata: str | Path | None = None) -> list[str]:
    args = [sys.executable, "-m", "datasette", "serve", str(db), "--host", host, "--port", str(port),
            "--metadata", str(metadata or METADATA), "--setting", "sql_time_limit_ms", "5000",
            "--setting", "facet_time_limit_ms", "1000", "--setting", "default_page_size", "50",
            "--setting", "max_csv_mb", "500",
            # suggestions scan every column of every page viewed: too slow on a 100k-report corpus
            "--setting", "suggest_facets", "off"]
    if PLUGINS.exists():
        args += ["--plugins-dir", str(PLUGINS)]
    return args


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8001, metadata=None, replace_process: bool = True) -> int:
    """Become Datasette (exec, not a child process), so a signal to this process reaches the server.

    ``replace_process=False`` keeps this process alive (the demo's portal keeps serving beside it).
    """
    args = datasette_args(db, host, port, metadata)
    if replace_process and hasattr(os, "execv"):
        sys.stdout.flush()
        os.execv(args[0], args)
    return subprocess.call(args)
