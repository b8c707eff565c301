"""The demo portal: a TRS-style site with thirteen reports in the layouts real portals use.

Real seed reports (see ``data/SOURCES.md``) appear as an HTML table, a Word-dump text
attachment, a DOCX attachment and a PDF attachment; the fictional 示范县 shows a panel over
four years (one of them with a broken identity, one served in GBK, one under a variant name), a department sub-column
with the optional 小计 column, a report linked straight to its PDF, a pre-2019 report, and a
township report whose tables are only pictures of its scanned pages (read by OCR).
"""
from __future__ import annotations

import json
from importlib import resources

from ..synthetic import synthetic_report
from .builders import Listed, trs_site
from .site import Site

SEEDS = resources.files("nianbao.portal") / "data" / "seeds"
DEMO_COUNTY = "示范县人民政府"
PICTURE_TOWNSHIP = "青石镇人民政府"


def seed(stem: str) -> tuple[dict, str]:
    gold = json.loads((SEEDS / f"{stem}.json").read_text(encoding="utf-8"))
    text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    return gold, text


PRE2019_BODY = """一、概述
2017年，示范县人民政府按照《中华人民共和国政府信息公开条例》要求，认真做好政府信息公开工作。
二、主动公开政府信息情况
全年主动公开政府信息1236条，其中规范性文件18件。
三、依申请公开政府信息情况
全年共受理政府信息公开申请35件，均已按时答复。
四、政府信息公开的收费及减免情况
未收取任何费用。
五、因政府信息公开申请行政复议、提起行政诉讼的情况
全年未发生政府信息公开行政复议和行政诉讼案件。
六、政府信息公开工作存在的主要问题及改进情况
公开内容的及时性仍需加强。"""


def demo_items() -> list[Listed]:
    items: list[Listed] = []
    g003, _ = seed("003_1762ab0cc7bc4c17")
    g003["signature_date"] = "2024年1月23日"
    items.append(Listed(g003, layout="html", published="2024-01-23"))
    g000, t000 = seed("000_6b21c550f40125da")
    items.append(Listed(g000, layout="text", text=t000, published="2024-01-30", column="xzjd"))
    g001, t001 = seed("001_39a3bb303739f26f")
    items.append(Listed(g001, layout="text", text=t001, published="2024-01-29", column="xzjd"))
    g002, _ = seed("002_a941c392a2b54e65")
    items.append(Listed(g002, layout="docx", published="2021-01-25", column="bmnb"))
    g004, _ = seed("004_76ac588e40fcc707")
    items.append(Listed(g004, layout="pdf", published="2025-01-20", column="xzjd"))
    for year, layout, broken in ((2021, "html", False), (2022, "html-gbk", True), (2023, "html-split", False), (2024, "pdf-direct", False)):
        # the 2022 report calls itself 示范县政府: a change of wording the agency panel absorbs
        r = synthetic_report("示范县政府" if year == 2022 else DEMO_COUNTY, year, "2021", scale=60, break_identity=broken)
        items.append(Listed(r, layout=layout, published=f"{year + 1}-03-{20 + year % 7:02d}"))
    items.append(Listed(synthetic_report("示范县教育局", 2023, "2021", scale=30, subtotal=True), layout="html-subtotal",
                        published="2024-01-26", column="bmnb"))
    items.append(Listed(synthetic_report("示范县财政局", 2020, "2019", scale=15), layout="html", published="2021-01-28", column="bmnb"))
    # a township whose report page shows its tables only as pictures of the scanned pages (OCR)
    items.append(Listed(synthetic_report(PICTURE_TOWNSHIP, 2023, "2021", scale=40), layout="html-pictures",
                        published="2024-02-02", column="xzjd"))
    items.append(Listed({"agency": DEMO_COUNTY, "year": 2017, "format": "pre2019", "body": PRE2019_BODY,
                         "title": f"{DEMO_COUNTY}2017年政府信息公开工作年度报告"}, layout="prose", published="2018-03-28"))
    return items


def demo_site() -> Site:
    site = trs_site(demo_items(), per_page=4, sub_column_names={"xzjd": "乡镇（街道）年报", "bmnb": "部门年报"})
    site.name = "demo"
    return site
