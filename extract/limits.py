"""Limits on extracting one document, and the worker processes that enforce them.

A portal can serve a document built to exhaust its reader: a PDF whose page stream inflates to
hundreds of MB, a DOCX whose XML does the same behind a zip header that lies about it, a page
of nested rowspan×colspan cells that expands to millions of grid positions. Two kinds of
defence, both configured here and nowhere else:

* caps inside the readers (:class:`Limits` fields other than ``timeout``/``memory_mb``/``workers``),
  each counting real work done (inflated bytes, grid cells, pages read), never what the document
  declares; hitting one truncates or rejects that part and leaves a flag starting with
  :data:`LIMIT_PREFIX` on the report;
* a wall-time and an address-space limit per document, enforced by running the extractor in
  worker processes (:class:`ExtractPool`): a worker over its time is killed, a worker over its
  memory fails its allocation (``RLIMIT_AS``) or dies, and either way it is replaced and the
  document is recorded with the reason. The caller (a crawl, ``nianbao extract``,
  ``nianbao parse``) goes on with the next document.

Settings (Scrapy ``NIANBAO_EXTRACT_<FIELD>``) and the command line (``--extract-timeout``,
``--extract-memory``, ``--extract-workers``, ``--extract-limit FIELD=VALUE``) override the
defaults below.
"""
from __future__ import annotations

import os
import resource
import threading
from contextlib import contextmanager
from dataclasses import dataclass, fields

LIMIT_PREFIX = "extraction limit: "
MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0  # wall seconds for one document in a worker
    memory_mb: int = 2048  # address space (RLIMIT_AS) of one worker, MiB
    workers: int = 0  # worker processes; 0 = one per usable core
    html_bytes: int = 8 * MiB  # HTML beyond this is truncated (flagged); the real pages in tests/fixtures are < 30 KB
    text_bytes: int = 4 * MiB  # a text dump beyond this is truncated (flagged); real ones in tests/fixtures are < 20 KB
    zip_member_bytes: int = 64 * MiB  # one DOCX/zip member, counted while inflating
    zip_total_bytes: int = 256 * MiB  # every member together, counted while inflating
    pdf_pages: int = 100  # pages whose text is read (the real PDFs in tests/fixtures have 5-6)
    pdf_table_pages: int = 60  # pages whose ruled tables are read (the expensive part)
    pdf_stream_bytes: int = 32 * MiB  # one page's content streams, inflated
    pdf_page_paths: int = 20_000  # path operators (re, m, l, c …) on one page: the real ruled pages in tests/fixtures draw < 500
    grid_cells: int = 50_000  # positions of one HTML table once spans are expanded
    doc_grid_cells: int = 200_000  # all HTML tables of one document together

    @property
    def soft_seconds(self) -> float:
        """Readers that go page by page stop starting new pages after this long, so a long
        document yields what was read (flagged) instead of being killed at ``timeout``."""
        return self.timeout / 2

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else usable_cores()

    @classmethod
    def from_mapping(cls, values: dict) -> "Limits":
        """From ``{field: value}`` with string values (settings, ``--extract-limit``); unknown names raise."""
        kinds = {f.name: f.type for f in fields(cls)}
        out = {}
        for k, v in values.items():
            name = k.lower().removeprefix("nianbao_extract_")
            if name not in kinds:
                raise ValueError(f"unknown extraction limit {k!r}; known: {', '.join(kinds)}")
            out[name] = float(v) if kinds[name] in ("float", float) else int(float(v))
        return cls(**out)

    @classmethod
    def from_settings(cls, settings) -> "Limits":
        """From Scrapy settings ``NIANBAO_EXTRACT_TIMEOUT`` etc. (those not set keep the defaults)."""
        values = {}
        for f in fields(cls):
            v = settings.get(f"NIANBAO_EXTRACT_{f.name.upper()}")
            if v not in (None, ""):
                values[f.name] = v
        return cls.from_mapping(values)

    def as_settings(self) -> dict:
        default = Limits()
        return {f"NIANBAO_EXTRACT_{f.name.upper()}": getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != getattr(default, f.name)}


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def limit_flag(what: str) -> str:
    return LIMIT_PREFIX + what


def limit_flags(flags) -> list[str]:
    return [f for f in flags if LIMIT_PREFIX in f]


# -- the limits in force for the document being read (set per task in a worker) ---------------

_current = Limits()
_enforced = False  # True in a worker process (ExtractPool), where the time limit is enforced


def current() -> Limits:
    return _current


def time_enforced() -> bool:
    """Whether this process reads under the pool's time limit: a reader that stops early to keep
    what it read (OCR of a long scan) does so only there, never in a library call or a test."""
    return _enforced


@contextmanager
def using(limits: Limits):
    global _current
    before, _current = _current, limits
    try:
        yield limits
    finally:
        _current = before


# -- counting real inflated bytes ---------------------------------------------------------------


class InflationLimit(Exception):
    """A compressed stream or container inflates beyond a cap (counted on the real bytes)."""


def inflated_size(compressed: bytes, cap: int, wbits: int = 15, scan=None) -> int:
    """How many bytes ``compressed`` (zlib, or raw deflate with ``wbits=-15``) inflates to, counted
    in 1 MiB steps without keeping them; :class:`InflationLimit` as soon as it passes ``cap``.
    ``scan``, if given, is called with each inflated chunk."""
    import zlib

    d = zlib.decompressobj(wbits)
    total, buf = 0, compressed
    while True:
        out = d.decompress(buf, MiB)
        if scan is not None and out:
            scan(out)
        total += len(out)
        if total > cap:
            raise InflationLimit(f"inflates beyond {cap // MiB} MiB")
        buf = d.unconsumed_tail
        if not out and not buf:
            break
        if d.eof:
            break
    return total


# -- worker processes ---------------------------------------------------------------------------


@dataclass
class Outcome:
    """What extracting one document gave: a report, or the limit that stopped it."""

    report: object | None  # extract.report.Report
    limit: str | None = None  # why there is no report (time, memory, worker death)
    peak_rss_kb: int = 0  # the worker's peak resident memory so far
    seconds: float = 0.0


def _worker_main(conn, memory_bytes: int) -> None:
    """Loop of one worker: (limits, data, kwargs) in; ("ok" | "memory", report or message, peak RSS
    KB, seconds, retiring) out."""
    import time

    from extract.documents import extract_document

    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    global _current, _enforced
    _enforced = True
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        limits, data, kwargs = task
        _current = limits
        t0 = time.monotonic()
        near = False
        try:
            report = extract_document(data, **kwargs)
            del data, task
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and execve, so a worker started
            # by a large process (pytest, a long crawl) would report its parent's peak as its own
            used = _status_kb("VmHWM") * 1024
            near = bool(memory_bytes and used > 0.9 * memory_bytes)
            vm = _status_kb("VmPeak") * 1024
            failed = any(f.startswith("extraction failed:") for f in report.flags)
            if near:
                # a library may have caught a MemoryError and carried on with less: say so, and
                # retire (the peak never falls: the next document must not inherit it)
                report.flags.append(limit_flag(f"memory: the worker came within 10% of its {limits.memory_mb} MiB "
                                               f"limit ({used // MiB} MiB); parts of the document may be missing"))
            elif memory_bytes and failed and vm > memory_bytes / 2:
                # libxml2 out of memory raises XMLSyntaxError("unknown error"): a failure after
                # the worker took more than half its address space may be the limit
                near = True
                report.flags.append(limit_flag(f"memory: reading failed after the worker reached {vm // MiB} MiB of "
                                               f"its {limits.memory_mb} MiB address space; perhaps the memory limit"))
            msg = ("ok", report)
        except MemoryError:
            del data, task
            msg = ("memory", f"over the {limits.memory_mb} MiB memory limit")
        rss = _status_kb("VmHWM")
        try:
            conn.send((*msg, rss, time.monotonic() - t0, near))
        except MemoryError:
            return  # too little memory left even to answer: the pool sees the worker die
        if msg[0] != "ok" or near:
            return  # a heap that ran out, or nearly, is not reused


def _exit_when_orphaned(parent: int) -> None:
    """A crawl killed with -9 cannot stop its workers: each leaves when its parent is gone,
    even in the middle of a document (the time limit is the parent's to enforce)."""
    import time

    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _vm_hwm_kb(pid: int) -> int:
    return _status_kb("VmHWM", pid)


def _status_kb(field: str, pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _clipped(data: bytes, kwargs: dict, lim: Limits) -> tuple[bytes, dict]:
    """HTML or text far over its cap is cut here, before it is copied to a worker (which reads
    only the cap anyway), with its full size passed along for the flag."""
    cap = max(lim.html_bytes, lim.text_bytes) + MiB
    if len(data) <= cap:
        return data, kwargs
    from extract.documents import sniff

    if sniff(data[:4096], kwargs.get("content_type"), kwargs.get("filename")) not in ("html", "text"):
        return data, kwargs
    return data[:cap], {**kwargs, "full_size": len(data)}


class _Worker:
    """One worker: ``python -c`` running :func:`_worker_main` on one end of a socket pair.

    A plain child process rather than a ``multiprocessing`` one: ``spawn`` re-imports the
    caller's ``__main__`` (a script, stdin, a console entry point), and ``fork`` from the crawl,
    which has threads, could copy a held lock. A direct child is also reaped when replaced, so
    ``getrusage(RUSAGE_CHILDREN)`` accounts for its peak memory.
    """

    def __init__(self, memory_bytes: int, threads: int = 1):
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = {**worker_env(threads, bool(memory_bytes)), **os.environ,
               "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        code = f"from extract.limits import _worker_entry; _worker_entry({theirs.fileno()}, {int(memory_bytes)})"
        self.proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=[theirs.fileno()], env=env,
                                     stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(ours.detach())

    @property
    def pid(self) -> int:
        return self.proc.pid

    def exitcode(self) -> int | None:
        try:
            return self.proc.wait(2)
        except Exception:
            return None

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:  # already gone
            pass
        try:
            self.proc.wait(5)
        except Exception:
            pass
        self.conn.close()


def worker_env(threads: int, limited: bool) -> dict[str, str]:
    """Environment of a worker (the caller's own settings win): the pool runs one worker per core,
    so a worker's native libraries (OpenBLAS under NumPy, onnxruntime for OCR) get the cores
    per worker, not a thread per core each; and under an address-space limit, glibc keeps two
    malloc arenas (each thread's arena reserves 64 MiB that ``RLIMIT_AS`` counts). Measured on an
    OCR'd 3-page scan (benchmarks/RESULTS.md, OCR): peak address space 1.5 GiB with a thread per
    core on 2 cores, 0.9 GiB with one."""
    n = str(max(1, threads))
    env = {"OPENBLAS_NUM_THREADS": n, "OMP_NUM_THREADS": n, "NIANBAO_OCR_THREADS": n}
    if limited:
        env["MALLOC_ARENA_MAX"] = "2"
    return env


def _worker_entry(fd: int, memory_bytes: int) -> None:
    from multiprocessing.connection import Connection

    _worker_main(Connection(fd), memory_bytes)


class ExtractPool:
    """Worker processes that extract one document each at a time under :class:`Limits`.

    Thread-safe: callers (the crawl's item pipeline through a thread, ``nianbao extract`` through
    a thread pool) block in :meth:`extract` until a worker is free. Workers are started on demand
    and replaced when killed or after a memory failure.
    """

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.size = self.limits.worker_count()
        self._slots = threading.BoundedSemaphore(self.size)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.peak_rss_kb = 0
        self.limits_hit = 0
        self.documents = 0
        self._closed = False

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("extraction pool is closed")
            if self._idle:
                return self._idle.pop()
        w = _Worker(self.limits.memory_mb * MiB if self.limits.memory_mb else 0, max(1, usable_cores() // self.size))
        with self._lock:
            self._all.add(w)
        return w

    def _retire(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)

    def _note(self, rss_kb: int) -> None:
        with self._lock:
            self.peak_rss_kb = max(self.peak_rss_kb, rss_kb)

    def extract(self, data: bytes, **kwargs) -> Outcome:
        """Extract one document (``extract_document`` keywords) in a worker, within the limits."""
        import time

        lim = self.limits
        data, kwargs = _clipped(data, kwargs, lim)
        with self._slots:
            w = self._take()
            t0 = time.monotonic()
            with self._lock:
                self.documents += 1
            try:
                w.conn.send((lim, data, kwargs))
                if not w.conn.poll(lim.timeout):
                    rss = _vm_hwm_kb(w.pid)
                    self._note(rss)
                    self._retire(w)
                    return self._hit(f"time limit: reading took over {lim.timeout:g} s; stopped", rss, t0)
                kind, value, rss, _secs, retiring = w.conn.recv()
            except (EOFError, OSError):
                rss = _vm_hwm_kb(w.pid)
                code = w.exitcode()
                self._retire(w)
                how = f"killed by signal {-code}" if code and code < 0 else f"exit status {code}"
                self._note(rss)
                return self._hit(f"memory limit: the worker died ({how}) reading it, under a "
                                 f"{lim.memory_mb} MiB memory limit", rss, t0)
            self._note(rss)
            if kind == "ok":
                if retiring:  # it exits after this answer (see _worker_main)
                    self._retire(w)
                else:
                    with self._lock:
                        self._idle.append(w)
                return Outcome(value, None, rss, time.monotonic() - t0)
            self._retire(w)
            return self._hit(f"memory limit: reading it needed more than the {lim.memory_mb} MiB a worker may use", rss, t0)

    def _hit(self, what: str, rss: int, t0: float) -> Outcome:
        import time

        with self._lock:
            self.limits_hit += 1
        return Outcome(None, limit_flag(what), rss, time.monotonic() - t0)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all, self._idle = list(self._all), set(), []
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in workers:
            if w.exitcode() is None:
                w.kill()
            else:
                w.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class InProcess:
    """The same interface without worker processes: the caps apply, time and memory do not
    (for library use and tests of the readers themselves)."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.size = 1
        self.peak_rss_kb = 0
        self.limits_hit = 0
        self.documents = 0

    def extract(self, data: bytes, **kwargs) -> Outcome:
        from extract.documents import extract_document

        self.documents += 1
        with using(self.limits):
            return Outcome(extract_document(data, **kwargs))

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


# -- command line -------------------------------------------------------------------------------


def add_options(parser) -> None:
    """``--extract-timeout``, ``--extract-memory``, ``--extract-workers``, ``--extract-limit``."""
    d = Limits()
    g = parser.add_argument_group("extraction limits (per document)")
    g.add_argument("--extract-timeout", type=float, metavar="SECONDS", help=f"wall time for one document (default {d.timeout:g})")
    g.add_argument("--extract-memory", type=int, metavar="MIB", help=f"memory of one extraction worker (default {d.memory_mb})")
    g.add_argument("--extract-workers", type=int, metavar="N", help="extraction worker processes (default: one per core)")
    names = ", ".join(f.name for f in fields(Limits) if f.name not in ("timeout", "memory_mb", "workers"))
    g.add_argument("--extract-limit", action="append", default=[], metavar="NAME=VALUE", help=f"another cap: {names}")


def from_options(args) -> Limits:
    values = {}
    for pair in getattr(args, "extract_limit", None) or []:
        if "=" not in pair:
            raise ValueError(f"--extract-limit takes NAME=VALUE, got {pair!r}")
        k, v = pair.split("=", 1)
        values[k.strip()] = v.strip()
    for opt, name in (("extract_timeout", "timeout"), ("extract_memory", "memory_mb"), ("extract_workers", "workers")):
        if getattr(args, opt, None) is not None:
            values[name] = getattr(args, opt)
    return Limits.from_mapping(values)


# -- one pool per process and set of limits ----------------------------------------------------

_shared: dict[Limits, list] = {}  # limits -> [pool, users]
_shared_lock = threading.Lock()


def acquire_pool(limits: Limits) -> ExtractPool:
    """The process's pool for these limits (several spiders in one crawl share it, so the
    workers stay one per core); give it back with :func:`release_pool`."""
    with _shared_lock:
        entry = _shared.get(limits)
        if entry is None:
            entry = _shared[limits] = [ExtractPool(limits), 0]
        entry[1] += 1
        return entry[0]


def release_pool(pool: ExtractPool) -> None:
    with _shared_lock:
        entry = _shared.get(pool.limits)
        if entry is None or entry[0] is not pool:
            pool.close()
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _shared[pool.limits]
    pool.close()
