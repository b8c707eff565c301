"""A portal as data: paths mapped to resources, with the behaviours real portals show."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Resource:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    fail_first: int = 0  # answer 500 to the first N requests (a flaky server)
    redirect_to: str | None = None  # answer 301 to this path
    handler: Callable | None = None  # (method, query, form) -> Resource, for dynamic endpoints
    truncate_to: int | None = None  # announce the full length but send only this many bytes
    delay: float = 0.0  # seconds before answering


@dataclass
class Site:
    resources: dict[str, Resource] = field(default_factory=dict)
    robots: str = "User-agent: *\nDisallow:\n"
    name: str = "portal"
    # what the site holds, for tests to assert against: report path -> expected facts
    expected_reports: dict[str, dict] = field(default_factory=dict)
    disallowed_reports: list[str] = field(default_factory=list)

    def add(self, path: str, resource: Resource) -> None:
        self.resources[path] = resource

    def html(self, path: str, html: str, encoding: str = "utf-8", **kw) -> None:
        self.add(path, Resource(html.encode(encoding), f"text/html; charset={encoding}", **kw))
