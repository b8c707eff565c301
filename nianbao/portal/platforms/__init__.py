"""Mock portals of the real platforms the crawler meets (issue #15), each built from evidence
named in its module docstring: Guangdong gkmlpt, TRS 动静结合 (Fujian), the Hanweb annual-report
module, 开普云/UCAP, eportal, numeric-path sites whose 年报 column lists units, Hebei and Liaoning
集约化 URL shapes, and a portal behind a JavaScript challenge.

``MOCKS[name]()`` builds one; each :class:`~.common.PlatformSite` names its home page, the column
URLs a source would list, the robots-disallowed prefix and the reports a perfect crawl stores.
``MOCKS`` keys that are platforms in the registry (``crawler/data/platforms.toml``) mock that
platform; the others are URL shapes crawled by the generic rules.
"""
from __future__ import annotations

from . import challenge, eportal, gkmlpt, hanweb_annual, hebei, jpaas, liaoning, ministry, numeric, openness, sichuan, trs_dynamic, ucap, yearly

MOCKS = {
    "gkmlpt": gkmlpt.build,
    "trs_dynamic": trs_dynamic.build,
    "hanweb_annual": hanweb_annual.build,
    "ucap": ucap.build,
    "eportal": eportal.build,
    "numeric": numeric.build,
    "hebei": hebei.build,
    "liaoning": liaoning.build,
    "challenge": challenge.build,
}

# Portal shapes the crawler was NOT built against, added to measure how general its generic
# mechanisms are (navigation, pagination, completeness); crawled by the generic rules only.
UNSEEN = {
    "jpaas": jpaas.build,
    "ministry": ministry.build,
    "openness": openness.build,
    "sichuan": sichuan.build,
    "yearly": yearly.build,
}
