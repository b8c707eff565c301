"""Serve a :class:`Site` on 127.0.0.1 (an OS-chosen port) in a background thread.

Every request is logged (method, path, status) so tests can assert that nothing was fetched
twice and that robots.txt was obeyed.
"""
from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .site import Resource, Site


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client hanging up is part of the tests
        pass


class PortalServer:
    def __init__(self, site: Site, host: str = "127.0.0.1", port: int = 0):
        if not host.startswith("127.") and host not in ("localhost", "::1"):
            raise ValueError("mock portals serve on loopback addresses only")
        self.site = site
        self.log: list[tuple[str, str, int]] = []
        self.arrivals: list[tuple[float, str]] = []  # (monotonic time, path): when each request arrived
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.httpd = _QuietServer((host, port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> "PortalServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def fetches(self, path: str | None = None) -> list[tuple[str, str, int]]:
        return [e for e in self.log if path is None or e[1] == path]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _serve(self, method: str):
                parts = urlsplit(self.path)
                path = parts.path
                form = {}
                if method == "POST":
                    n = int(self.headers.get("Content-Length") or 0)
                    form = dict(parse_qsl(self.rfile.read(n).decode("utf-8", "replace"), keep_blank_values=True))
                key = path + (f"?{parts.query}" if parts.query and path + "?" + parts.query in server.site.resources else "")
                with server._lock:
                    server._hits[key] += 1
                    hit = server._hits[key]
                if path == "/robots.txt" and path not in server.site.resources:  # a site may fault its robots.txt
                    res = Resource(server.site.robots.encode(), "text/plain; charset=utf-8")
                else:
                    res = server.site.resources.get(key) or server.site.resources.get(path)
                    if res is None and path.endswith("/"):
                        res = server.site.resources.get(path + "index.html")
                if res is not None and res.handler is not None:
                    if getattr(res.handler, "wants_headers", False):  # e.g. a WAF mock reading its cookie
                        res = res.handler(method, dict(parse_qsl(parts.query)), form, dict(self.headers))
                    else:
                        res = res.handler(method, dict(parse_qsl(parts.query)), form)
                status, body, headers = 404, b"not found", {"Content-Type": "text/plain; charset=utf-8"}
                if res is not None:
                    if res.delay:
                        time.sleep(res.delay)
                    if res.reset and hit > res.fail_first - 1:
                        server.log.append((method, self.path, 0))
                        server.arrivals.append((time.monotonic(), self.path))
                        self.close_connection = True
                        try:
                            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                            self.connection.close()
                        except OSError:
                            pass
                        return
                    if res.stream_bytes:
                        server.log.append((method, self.path, 200))
                        server.arrivals.append((time.monotonic(), self.path))
                        self.send_response(200)
                        self.send_header("Content-Type", res.content_type)
                        if not res.unannounced:
                            self.send_header("Content-Length", str(res.stream_bytes))
                        self.end_headers()
                        chunk = b"<p>" + b"x" * 65529 + b"</p>"
                        try:
                            for _ in range(res.stream_bytes // len(chunk)):
                                self.wfile.write(chunk)
                        except OSError:
                            pass  # the client gave up, as it should
                        self.close_connection = True
                        return
                    if hit <= res.fail_first:
                        status, body = 500, b"server error"
                    elif res.redirect_to:
                        status, body, headers = 301, b"", {"Location": res.redirect_to}
                    else:
                        status, body, headers = res.status, res.body, {"Content-Type": res.content_type, **res.headers}
                server.log.append((method, self.path, status))
                server.arrivals.append((time.monotonic(), self.path))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                raw = res.raw_headers if res is not None else []
                for k, v in raw:
                    self.send_header(k, v)
                if not any(k.lower() == "content-length" for k, _ in raw):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if res is not None and res.trickle and status == 200:
                    self.close_connection = True
                    try:
                        for b in body:
                            self.wfile.write(bytes([b]))
                            self.wfile.flush()
                            time.sleep(res.trickle)
                    except OSError:
                        pass  # the client gave up, as it should
                    return
                if res is not None and res.truncate_to is not None and status == 200:
                    body = body[: res.truncate_to]
                    self.close_connection = True
                self.wfile.write(body)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        return Handler
