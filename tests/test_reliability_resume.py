"""``--jobdir`` resume loses nothing after ``kill -9`` at random moments.

Reproduction from issue #16: after ``kill -9``, re-runs with the same ``--jobdir`` exited in
seconds with "0 responses archived", stuck at 35–65% of the reports for good. Scrapy saves a
job's queue only when the spider closes ("Jobs: pausing and resuming crawls",
https://docs.scrapy.org/en/latest/topics/jobs.html), while its dupefilter's ``requests.seen``
grows as requests are scheduled; crawler/resume.py reconciles the two on start.
"""
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from conftest import ROOT, nianbao
from corpus.schema import connect
from crawler.resume import MARK, reset_if_killed
from nianbao.portal import PortalServer
from nianbao.portal.builders import START_PATHS, Listed, trs_site
from nianbao.synthetic import synthetic_report
from portals import expected

pytestmark = pytest.mark.slow


LAYOUTS = ["html", "html", "text", "html-gbk", "pdf", "docx"]
N_REPORTS = int(os.environ.get("NIANBAO_KILL_REPORTS", "40"))


def _trs_site(n):
    """``n`` distinct reports in several layouts (attachments included), four to a list page."""
    items = [Listed(synthetic_report(f"示范县第{i}办公室", 2023, seed=i), LAYOUTS[i % len(LAYOUTS)], published="2024-02-01")
             for i in range(n)]
    return trs_site(items, per_page=4)


def _stored(db) -> int:
    try:
        return connect(db).execute("select count(*) from reports").fetchone()[0]
    except Exception:
        return 0


def test_kill_9_at_ten_random_moments_then_a_rerun_stores_every_report_once(tmp_path):
    """Each run is killed at a random moment once the corpus has reached a random size (so every
    kill lands mid-crawl, wherever the machine's speed puts it). Scrapy flushes ``requests.seen``
    in 8 KiB blocks, so the old code stalls only once ~200 requests were seen: with
    NIANBAO_KILL_REPORTS=120 it stopped at 51 of 120 reports for good (measured on b13b38e)."""
    site = _trs_site(N_REPORTS)
    rng = random.Random(int(os.environ.get("NIANBAO_KILL_SEED", "16")))
    targets = sorted(rng.sample(range(2, N_REPORTS - 2), 10))
    db, job = tmp_path / "c.db", tmp_path / "job"
    with PortalServer(site) as server:
        url = server.url(START_PATHS["trs"])
        args = [sys.executable, "-m", "nianbao.cli", "crawl", "--start-url", url, "--db", str(db), "--jobdir", str(job)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        moments = []
        for target in targets:
            proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started = time.monotonic()
            while time.monotonic() - started < 30 and proc.poll() is None and _stored(db) < target:
                time.sleep(0.05)
            time.sleep(rng.uniform(0, 0.3))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            moments.append((target, _stored(db)))
        last = nianbao("crawl", "--start-url", url, "--db", db, "--jobdir", job, check=False)
    conn = connect(db)
    found = Counter((r["agency"], r["year"]) for r in conn.query("select agency, year from reports"))
    assert set(found) == expected(site), f"(target, stored) at each kill: {moments}\n{last.stdout}\n{last.stderr[-3000:]}"
    assert max(found.values()) == 1
    lost = conn.execute("select url from documents where role = 'report' and report_id is null and error is null "
                        "and status = 200").fetchall()
    assert lost == []


def test_a_dupefilter_without_a_saved_queue_is_discarded(tmp_path):
    """A kill before the running mark was written, or a mark lost: the state was never saved."""
    (tmp_path / "requests.seen").write_text("0123abcd\n")
    assert reset_if_killed(tmp_path)
    assert not (tmp_path / "requests.seen").exists()


def test_a_job_left_marked_running_has_its_scrapy_state_discarded(tmp_path):
    (tmp_path / "requests.seen").write_text("0123abcd\n")
    (tmp_path / "requests.queue").mkdir()
    (tmp_path / "requests.queue" / "p0").write_bytes(b"\x00")
    (tmp_path / MARK.format(spider="reports")).write_text("running\n")
    assert reset_if_killed(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_cleanly_stopped_job_keeps_its_scrapy_state(tmp_path):
    """Scrapy saves requests.queue/active.json when the spider closes (a Ctrl-C included)."""
    (tmp_path / "requests.seen").write_text("0123abcd\n")
    (tmp_path / "requests.queue").mkdir()
    (tmp_path / "requests.queue" / "active.json").write_text("[]")
    assert not reset_if_killed(tmp_path)
    assert (tmp_path / "requests.seen").exists()
