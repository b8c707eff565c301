"""One spider per configured source (``crawler/data/sources.toml``), City Scrapers style: the
source's row is the spider's only per-site data; its CMS family is a mixin."""
from __future__ import annotations

from ..families import FAMILIES
from ..sources import load_sources
from .base import ReportSpider
from .discover import DiscoverSpider


def _spider_for(src: dict) -> type:
    mixin = FAMILIES[src.get("family", "generic")]
    attrs = {
        "name": src["id"],
        "source": src,
        "family": src.get("family", "generic"),
        "start_urls": list(src["start_urls"]),
        "allowed_domains": list(src.get("allowed_domains", [])) or None,
        "__doc__": f"{src.get('agency', src['id'])}: {src['start_urls'][0]} ({src.get('family', 'generic')})",
    }
    if attrs["allowed_domains"] is None:
        del attrs["allowed_domains"]
    cls_name = "".join(p.capitalize() for p in src["id"].split("_")) + "Spider"
    base = DiscoverSpider if src.get("mode") == "discover" else ReportSpider
    return type(cls_name, (mixin, base), attrs)


for _src in load_sources():
    _cls = _spider_for(_src)
    globals()[_cls.__name__] = _cls
del _src, _cls
