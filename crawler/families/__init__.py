"""CMS families: how a portal's list column pages and lists its entries.

Each family is a mixin for :class:`crawler.spiders.base.ReportSpider` with two methods,
``list_entries(response)`` and ``next_list_pages(response)``, and a ``detects(response)``
classmethod used when a source does not name its family. A new source names its family in
``crawler/data/sources.toml``; a new family is one module here.
"""
from .generic import GenericMixin
from .hanweb import HanwebMixin
from .trs import TrsMixin
from .vsb import VsbMixin

FAMILIES = {"trs": TrsMixin, "hanweb": HanwebMixin, "vsb": VsbMixin, "generic": GenericMixin}


def detect(response) -> str:
    """The family whose fingerprints the page carries; ``generic`` when none does."""
    for name in ("hanweb", "trs", "vsb"):
        if FAMILIES[name].detects(response):
            return name
    return "generic"
