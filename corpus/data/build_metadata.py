"""Regenerate ../../datasette_metadata.json: `python corpus/data/build_metadata.py`.

Kept as code so the column descriptions come from the same table spec the extractor uses;
the JSON file is committed so Datasette needs nothing but it.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract.spec import tables  # noqa: E402

spec = tables()
ROW_LABELS = "; ".join(f"{r.key} = {r.label}" for r in spec.application_rows)
ITEM_LABELS = "; ".join(sorted({f"{i.key} = {i.label}" for f in spec.active_disclosure.values() for i in f}))
MEASURE_LABELS = "; ".join(sorted({f"{m.key} = {m.label}" for f in spec.active_disclosure.values() for i in f for m in i.measures}))

COLUMN_LABELS = {c.key: c.label for c in spec.application_columns}
STATUS = "pass (every identity holds) · fail (an identity broken as published) · incomplete (a table missing or cells unreadable) · not_applicable (pre-2019 report, no fixed tables)"

reports_cols = {
    "report_id": "Stable id (sha1 of the canonical URL, 16 hex): cite it; a re-crawl keeps it.",
    "url": "The report's own page (canonical: after redirects; duplicates folded into one row).",
    "attachment_url": "The attachment (PDF, DOCX, DOC, WPS, text…) the tables were read from, when not the page itself.",
    "title": "标题 — as published.",
    "agency": "发布机关 — the reporting agency, e.g. 安丘市官庄镇人民政府 (see agency_source for how it was read).",
    "year": "报告年度 — the year reported on (a 2023 report published in 2024 has year 2023).",
    "format": "表格格式 — 2021 (国办公开办函〔2021〕30号), 2019 (〔2019〕60号), pre2019 (no fixed tables) or unknown; detected from the table labels, not the year.",
    "published_date": "发布日期 — ISO date, from the page's PubDate meta, its 发布日期 line, the list page, or the signature block.",
    "level": "行政层级 — 国务院部门, 省级, 市级, 县级, 乡镇街道, 村居/社区: the tier of government the agency belongs to (a county's department is 县级; see agency_type). How it was inferred: level_source.",
    "agency_type": "机关类型 — 政府 (the government, township or community itself) or 部门 (one of its departments).",
    "level_source": "How level was inferred: agency (the name, e.g. …镇人民政府), source (the configured source), host (the portal's division).",
    "agency_id": "The agency (→ agencies): stable across years and small changes of name, so one agency's reports form a panel (see agency_years).",
    "province": "省 — where inferable.",
    "city": "市 — where inferable.",
    "county": "县/区 — where inferable.",
    "admin_code": "行政区划代码 — GB/T 2260 six-digit code of the most specific division known (townships carry their county's code), where inferable.",
    "host": "The portal's host name.",
    "source": "The configured source (crawler/data/sources.toml id) that led to the report.",
    "body_text": "全文 — the extracted text (trafilatura for HTML; pdfplumber; python-docx). Searchable (FTS5 trigram: 3+ characters).",
    "check_status": "勾稽校验 — " + STATUS,
    "fetched_at": "When the report page was fetched (UTC, ISO).",
    "extracted_at": "When this row was last extracted (UTC, ISO).",
    "kind": "The document the tables came from: html, pdf, docx, text, or an unsupported kind (doc, wps, image…).",
    "agency_source": "How the agency was read: title, body (first paragraphs), signature, page_title, list_title, source.",
    "year_source": "How the year was read: title, body, page_title, list_title.",
    "region_source": "How province/city/county/admin_code were inferred, in order of trust: agency (divisions named in the agency name), source (configuration), host (pinyin of the portal's host, e.g. anqiu.gov.cn → 安丘市), text (divisions named in the report's opening).",
    "flags": "JSON list of what the extractor noticed: incomplete or inferred rows, typos, unit conversions, hybrid layouts.",
    "n_flags": "Number of flags.",
    "sha256": "SHA-256 of the document the tables were read from (duplicates share it).",
    "archive": "Where the raw bytes are kept: WARC file#offset (see the documents table).",
}
app_cols = {
    "report_id": "The report (→ reports).",
    "row": "行 — row key of table 三: " + ROW_LABELS,
    "row_order": "The row's position in the official table (sort by it).",
    **{k: f"{v} — 件 (applications), as published; null where unreadable or blank" for k, v in COLUMN_LABELS.items()},
}
app_cols["org_subtotal"] = "法人或其他组织 / 小计 — 件; null unless the report prints this optional column"
review_cols = {
    "report_id": "The report (→ reports).",
    "proceeding": "review = 行政复议 · litigation_direct = 行政诉讼 未经复议直接起诉 · litigation_after_review = 行政诉讼 复议后起诉",
    "upheld": "结果维持 — 件", "corrected": "结果纠正 — 件", "other": "其他结果 — 件", "pending": "尚未审结 — 件", "total": "总计 — 件",
}
meta = {
    "title": "nianbao 年报 · 政府信息公开工作年度报告 corpus",
    "description_html": (
        "<p>The annual government-information-disclosure reports of Chinese agencies, as data: the statistical "
        "tables 二 (主动公开), 三 (依申请公开) and 四 (行政复议、行政诉讼) in rows, the text of every report, and the "
        "identities the tables must satisfy, evaluated per report. Numbers are kept as published: blank, “/” and 0 stay "
        "distinct (see <a href=\"/corpus/cells\">cells</a> for every cell's raw text), and broken identities are listed "
        "in <a href=\"/corpus/failed_checks\">failed_checks</a>, never silently corrected.</p>"
        "<p>Start with <a href=\"/corpus/report_summary\">report_summary</a> (one row per report with its key figures) "
        "or the canned queries below. Search the full text of every report in <a href=\"/corpus/report_search\">report_search</a>; full-text search needs 3+ Chinese characters; for 1–2 use the "
        "<a href=\"/corpus/search_short\">search_short</a> query. CSV downloads are UTF-8 without a BOM; "
        "for Excel use <code>nianbao export</code>, which adds one.</p>"
    ),
    "license": "CC BY 4.0 (extracted data); the source documents are official publications",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "source": "政府信息公开年报 columns of gov.cn portals, archived as WARC",
    "source_url": "https://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm",
    "about": "nianbao",
    "about_url": "https://pypi.org/project/nianbao/",
    "databases": {
        "corpus": {
            "description": "One database: reports and their tables, sections, checks, cells, and the archive index (documents).",
            "tables": {
                "reports": {
                    "description": "One row per annual report.",
                    "label_column": "title",
                    "sort_desc": "year",
                    "facets": ["year", "format", "level", "province", "check_status"],
                    "fts_table": "reports_fts",
                    "fts_pk": "rowid",
                    "columns": reports_cols,
                },
                "sections": {
                    "description": "The six sections of each report (一 总体情况 … 六 其他需要报告的事项), with their headings as printed.",
                    "sort": "section_no",
                    "facets": ["section_no"],
                    "columns": {"report_id": "The report (→ reports).", "section_no": "1–6", "heading": "标题 as printed", "text": "The section's text."},
                },
                "active_disclosure": {
                    "description": "Table 二 — 主动公开政府信息情况, long form: one row per item × measure. Amounts (amount_10k_yuan) are in 万元; other measures are counts (件/项).",
                    "facets": ["item", "measure", "status"],
                    "columns": {
                        "report_id": "The report (→ reports).",
                        "item": "信息内容 — " + ITEM_LABELS,
                        "measure": "统计项 — " + MEASURE_LABELS + " (amount_10k_yuan in 万元; change may be negative)",
                        "value": "The number (件, 项, or 万元 for amount_10k_yuan); null where not a number.",
                        "raw": "The cell's text as published.",
                        "status": "read · blank · placeholder (/, —) · inferred · missing",
                    },
                },
                "applications": {
                    "description": "Table 三 — 收到和处理政府信息公开申请情况, wide form: one row per table row, one column per applicant type (件).",
                    "sort": "row_order",
                    "facets": ["row"],
                    "columns": app_cols,
                },
                "review_litigation": {
                    "description": "Table 四 — 政府信息公开行政复议、行政诉讼情况 (件).",
                    "facets": ["proceeding"],
                    "columns": review_cols,
                },
                "checks": {
                    "description": "Every identity evaluated for every report (report-tables.md): balance, results_sum, row_total, org_subtotal, review_litigation.total.",
                    "facets": ["ok", "check"],
                    "columns": {"report_id": "The report (→ reports).", "check": "Stable name, e.g. applications.balance.total",
                                "expected": "The side the table states (e.g. 新收 + 结转)", "actual": "The side computed from the other cells",
                                "ok": "1 if the identity holds as published", "description": "The identity, in Chinese."},
                },
                "cells": {
                    "description": "Every cell of tables 二, 三 and 四 with its raw text and how it was read: provenance for each number.",
                    "facets": ["tbl", "status"],
                    "columns": {"report_id": "The report (→ reports).", "tbl": "active_disclosure, applications or review_litigation",
                                "row": "Row / item / proceeding key", "col": "Column / measure / outcome key", "value": "The number, or null",
                                "raw": "The text as printed (null when inferred)", "status": "read · blank · placeholder · inferred (determined by the identities) · missing",
                                "location": "Where in the document: table and row, or line"},
                },
                "documents": {
                    "description": "The archive index: every fetched response and every failed fetch, with where its bytes are kept.",
                    "facets": ["role", "status", "content_type"],
                    "columns": {"url": "The requested URL", "final_url": "Where it led (redirect target)", "status": "HTTP status (null: no response)",
                                "content_type": "As served", "sha256": "SHA-256 of the decoded body", "size": "Bytes (decoded)",
                                "fetched_at": "UTC, ISO", "warc_file": "WARC file in the archive folder", "warc_offset": "Byte offset of the record",
                                "warc_length": "Record length in the WARC file", "report_id": "The report this document belongs to",
                                "error": "Why it failed (HTTP status, timeout, robots.txt, extraction)", "role": "list, report, attachment, home, robots",
                                "source": "Configured source", "parent_url": "The page that linked to it", "list_title": "The link's title on the list page",
                                "list_date": "The date printed beside the link", "run_id": "The crawl run (→ crawl_runs)", "fetch_count": "How many times fetched over all runs",
                                "archive_dir": "After `nianbao merge`: the worker's archive folder holding warc_file (else <database>-archive)"},
                },
                "agencies": {
                    "description": "One row per agency, with a stable id: its reports over the years share it even when the name's punctuation or wording changes (示范县人民政府 / 示范县政府).",
                    "label_column": "name",
                    "facets": ["level", "agency_type", "province"],
                    "columns": {"agency_id": "Stable id (hash of scope and first normalised name).", "name": "The name first seen.",
                                "scope": "Where names are compared: the GB/T 2260 code, else the portal host.",
                                "level": "行政层级 (as reports.level)", "agency_type": "政府 or 部门", "province": "省", "city": "市",
                                "county": "县/区", "admin_code": "GB/T 2260 code"},
                },
                "agency_names": {
                    "description": "Every name (normalised key) under which an agency has published, within its scope.",
                    "columns": {"scope": "GB/T 2260 code or host", "key": "Normalised name: no spaces or punctuation, 人民政府 → 政府",
                                "rkey": "The key reversed: the index that finds longer names ending in a key", "agency_id": "The agency (→ agencies)", "name": "The name as first published with this key"},
                },
                "agency_years": {
                    "description": "The panel: one row per agency and year with its key figures. n_reports > 1 means the agency published more than one report for the year (the figures are summed). A table kept current by triggers whenever a report or an agency changes (corpus/derived.py).",
                    "facets": ["year", "level", "agency_type", "province"],
                },
                "report_search": {
                    "description": "Search the full text of every report (title, agency and body; 3+ Chinese characters): matching reports with their key figures, fast even for a term found in every report. Facet the results by year, level, province, format or check_status with _facet= (each facet matches the text again; for a term in every report of 100k, ~90 ms each).",
                    "fts_table": "reports_fts",
                    "fts_pk": "report_rowid",
                },
                "hierarchy_totals": {
                    "description": "A government's own figures beside the sum of the reports filed beneath it in the same year (a county: its departments, townships and communities; a city: its departments and county governments). Whether a government's report covers only itself or its whole area varies: compare, don't conclude. A view, computed for each query: facet it with _facet=year (level, province) when you need to (each facet computes it again; at 100k reports ~90 ms each).",
                },
                "review_litigation_by_year": {
                    "description": "Table 四 summed per report year and proceeding, kept current by triggers as reports are stored, re-extracted or removed (corpus/derived.py). n_reports: reports with this row; n_upheld … n_total: reports that printed that number (a sum over none is 0 here and null in the canned query review_litigation_outcomes). year 0: unknown.",
                    "facets": ["proceeding"],
                },
                "crawl_runs": {"description": "One row per crawl run: what it fetched, found and failed. shortfall: entries the run's lists state they hold but the run did not reach (per column in crawl_columns); blocked: hosts that answered with an anti-bot challenge.", "sort_desc": "started_at"},
                "crawl_columns": {"description": "One row per report column a crawl run read: how it was found (the menu path from the start page), how its pages were reached, the size its lists state (共N条, createPageHTML, recordCount, a JSON total) against the entries and pages reached, and the shortfall (crawler/completeness.py).", "sort_desc": "shortfall", "facets": ["mechanism"]},
                "report_summary": {
                    "description": "One wide row per report with its key figures (table 三 totals column; table 四 totals). The one-click CSV slice, and the fast table to facet and aggregate: kept current by triggers on reports (corpus/derived.py). To search the reports' text, use report_search (these rows under their report's rowid).",
                    "facets": ["year", "format", "level", "province", "check_status"],
                    "sort_desc": "year",
                },
                "applications_by_report": {"description": "Table 三 with each report's metadata: one row per report × row. Filter by row, then year (facets by year or level read every report's metadata: add them with _facet= when you need them).", "facets": ["row"]},
                "failed_checks": {"description": "Every identity a report breaks, by how much.", "facets": ["year", "check"]},
            },
            "queries": {},
        }
    },
    "plugins": {},
}

Q = meta["databases"]["corpus"]["queries"]
Q["applications_per_year_level"] = {
    "title": "Applications per year and level",
    "description": "Reports, new applications (本年新收) and handled applications (办理结果总计) per report year and administrative level.",
    "sql": "-- +year: read the table straight through, faster than through the year index at 100k reports\n"
           "select year, coalesce(level, '(unknown)') as level, count(*) as reports, sum(new_received) as new_received,\n"
           "  sum(total_handled) as total_handled, round(avg(new_received), 1) as mean_per_report\n"
           "from report_summary group by +year, level order by year, level",
}
Q["top_agencies"] = {
    "title": "Agencies with the most applications",
    "description": "Total new applications per agency over all years (or one year with :year).",
    "sql": "select agency, count(*) as reports, min(year) as first_year, max(year) as last_year, sum(new_received) as new_received\n"
           "from report_summary where (:year = '' or year = cast(:year as integer))\n"
           "group by agency order by new_received desc limit 100",
}
Q["outcome_shares"] = {
    "title": "Outcome shares per year",
    "description": "Granted / partially granted / denied / unable to provide / not processed / other, as shares of all handled applications (办理结果总计).",
    "sql": "-- +year: read the table straight through, faster than through the year index at 100k reports\n"
           "select year, sum(total_handled) as handled,\n"
           "  round(1.0 * sum(granted) / nullif(sum(total_handled), 0), 3) as granted,\n"
           "  round(1.0 * sum(partially_granted) / nullif(sum(total_handled), 0), 3) as partially_granted,\n"
           "  round(1.0 * sum(denied) / nullif(sum(total_handled), 0), 3) as denied,\n"
           "  round(1.0 * sum(unable) / nullif(sum(total_handled), 0), 3) as unable,\n"
           "  round(1.0 * sum(not_processed) / nullif(sum(total_handled), 0), 3) as not_processed,\n"
           "  round(1.0 * sum(other_handling) / nullif(sum(total_handled), 0), 3) as other\n"
           "from report_summary where total_handled is not null group by +year order by year",
}
Q["reports_not_adding_up"] = {
    "title": "Reports whose numbers do not add up, and why",
    "description": "Every broken identity, with the published and computed sides.",
    "sql": "select year, agency, [check], description, expected, actual, difference, report_id, url\n"
           "from failed_checks order by year desc, agency",
}
Q["agency_over_years"] = {
    "title": "One agency, year over year",
    "description": "Key figures of one agency's reports (part of any name it has used is enough), with the change from the previous report. Agencies are followed by agency_id, so a renamed agency stays one series.",
    "sql": "select year, agency, agency_id, new_received,\n"
           "  new_received - lag(new_received) over (partition by agency_id order by year) as change_new_received,\n"
           "  granted, denied, total_handled, review_total, litigation_total, check_status, report_id\n"
           "from report_summary where agency_id in (select agency_id from agency_names where name like '%' || :agency || '%')\n"
           "order by agency_id, year",
}
Q["review_litigation_outcomes"] = {
    "title": "Review and litigation outcomes per year",
    "description": "Table 四 summed per year: upheld, corrected, other, pending, total for each proceeding.",
    "sql": "-- review_litigation_by_year: table 四 summed as reports are stored (n_x = reports that printed x)\n"
           "select nullif(year, 0) as year, proceeding, n_reports,\n"
           "  case when n_upheld > 0 then upheld end as upheld, case when n_corrected > 0 then corrected end as corrected,\n"
           "  case when n_other > 0 then other end as other, case when n_pending > 0 then pending end as pending,\n"
           "  case when n_total > 0 then total end as total,\n"
           "  case when n_corrected > 0 and n_total > 0 then round(1.0 * corrected / nullif(total, 0), 3) end as corrected_share\n"
           "from review_litigation_by_year order by year, proceeding",
}
Q["search_short"] = {
    "title": "Search reports for a short term (1–2 characters)",
    "description": "The full-text index (trigram) needs 3+ characters; this scans the text instead.",
    "sql": "select report_id, year, agency, title, url from reports where body_text like '%' || :q || '%' order by year desc limit 200",
}


# Charts: datasette-vega draws any table or query; these links open it already configured
# (its settings live in the URL fragment, g.* keys).
def chart_link(query: str, mark: str, x: str, y: str, color: str = "", x_type: str = "ordinal") -> str:
    frag = f"g.mark={mark}&g.x_column={x}&g.x_type={x_type}&g.y_column={y}&g.y_type=quantitative"
    if color:
        frag += f"&g.color_column={color}"
    return f"/corpus/{query}#{frag}"


Q["chart_applications_per_year"] = {
    "title": "Chart: applications per year",
    "description_html": "New applications (本年新收) and reports per report year. "
                        "Shown as a line chart by datasette-vega (“Show charting options” to change it).",
    "sql": "-- +year: read the table straight through, faster than through the year index at 100k reports\n"
           "select year, sum(new_received) as new_received, sum(total_handled) as total_handled, count(*) as reports\n"
           "from report_summary group by +year having year is not null order by year",
}
Q["chart_outcome_shares"] = {
    "title": "Chart: outcome shares per year",
    "description_html": "Each outcome's share of all handled applications, per year, long form for a stacked bar chart.",
    "sql": "with t as (select year, sum(total_handled) as handled, sum(granted) as granted, sum(partially_granted) as partially_granted,\n"
           "  sum(denied) as denied, sum(unable) as unable, sum(not_processed) as not_processed, sum(other_handling) as other\n"
           "  from report_summary where total_handled > 0 group by +year)\n"
           "select year, 'granted 予以公开' as outcome, round(1.0 * granted / handled, 3) as share from t union all\n"
           "select year, 'partially 部分公开', round(1.0 * partially_granted / handled, 3) from t union all\n"
           "select year, 'denied 不予公开', round(1.0 * denied / handled, 3) from t union all\n"
           "select year, 'unable 无法提供', round(1.0 * unable / handled, 3) from t union all\n"
           "select year, 'not processed 不予处理', round(1.0 * not_processed / handled, 3) from t union all\n"
           "select year, 'other 其他处理', round(1.0 * other / handled, 3) from t\n"
           "order by year, outcome",
}
CHARTS = {
    "Applications per year": chart_link("chart_applications_per_year", "line", "year", "new_received"),
    "Outcome shares per year": chart_link("chart_outcome_shares", "bar", "year", "share", color="outcome"),
    "Applications per year and level": chart_link("applications_per_year_level", "bar", "year", "new_received", color="level"),
}
Q["chart_applications_per_year"]["description_html"] += f' <a href="{CHARTS["Applications per year"]}">Open as a chart</a>.'
Q["chart_outcome_shares"]["description_html"] += f' <a href="{CHARTS["Outcome shares per year"]}">Open as a chart</a>.'
meta["description_html"] += "<p>Charts: " + " · ".join(f'<a href="{u}">{t}</a>' for t, u in CHARTS.items()) + "</p>"

if __name__ == "__main__":
    (ROOT / "datasette_metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("wrote", ROOT / "datasette_metadata.json")
