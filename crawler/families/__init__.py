"""CMS platforms ("families"): how a portal's list column pages and lists its entries.

Each platform is a mixin for :class:`crawler.spiders.base.ReportSpider` (``list_entries`` and
``next_list_pages``), registered with its fingerprints and priority in ``crawler/data/platforms.toml`` (see :mod:`.registry`). A source names
its platform in ``crawler/data/sources.toml``; otherwise each page's platform is detected.
"""
from __future__ import annotations

from .registry import detect_platform, platforms


_families: dict[str, type] = {}


def __getattr__(name):
    """``FAMILIES`` (name -> mixin, in registry order), imported on first use: the CLI reads the
    registry's names without importing Scrapy."""
    if name == "FAMILIES":
        if not _families:
            _families.update((p.name, p.mixin) for p in platforms())
        return _families
    raise AttributeError(name)



def detect(response) -> str:
    """The platform whose fingerprints the page carries (its request URL keeps a #fragment); ``generic`` when none does."""
    request = getattr(response, "request", None)
    url = request.url if request is not None else response.url
    return detect_platform(url, response.body)
