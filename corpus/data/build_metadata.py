"""Regenerate ../../datasette_metadata.json: `python corpus/data/build_metadata.py`.

Table and column descriptions come from the codebook (corpus/data/codebook.toml via
corpus/codebook.py), which also fills the database's ``codebook`` table and a release's
datapackage.json, so they cannot disagree; this file adds what only Datasette needs (facets,
sort orders, full-text settings, canned queries, charts). The JSON file is committed so Datasette
needs nothing but it; tests/test_codebook.py fails when it differs from what this generates.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from corpus.codebook import describe, schema_objects, table_description  # noqa: E402
from corpus.schema import connect  # noqa: E402

meta = {
    "title": "nianbao 年报 · 政府信息公开工作年度报告 corpus",
    "description_html": (
        "<p>The annual government-information-disclosure reports of Chinese agencies, as data: the statistical "
        "tables 二 (主动公开), 三 (依申请公开) and 四 (行政复议、行政诉讼) in rows, the text of every report, and the "
        "identities the tables must satisfy, evaluated per report. Numbers are kept as published: blank, “/” and 0 stay "
        "distinct (see <a href=\"/corpus/cells\">cells</a> for every cell's raw text), and broken identities are listed "
        "in <a href=\"/corpus/failed_checks\">failed_checks</a>, never silently corrected.</p>"
        "<p>Start with <a href=\"/corpus/report_summary\">report_summary</a> (one row per report with its key figures) "
        "or the canned queries below. Every report's title links to its page in the official layout (tables 二, 三, 四 "
        "with each cell's raw text and the identities).</p>"
        "<p><a href=\"/search\">Search the reports</a> (检索): one box for terms of any length, every term required, "
        "1–2-character terms matched as substrings, the text around each match, and a section on its own "
        "(e.g. 五、存在的主要问题及改进情况). CSV downloads are UTF-8 without a BOM; "
        "for Excel use <code>nianbao export</code>, which adds one.</p>"
        "<p>What every column means: the <a href=\"/corpus/codebook\">codebook</a> (Chinese label, unit, meaning, "
        "formats). The two official formats differ: table 三 has 23 rows in the 2019 format and 25 in the 2021 format, "
        "table 二 has other items and measures; the <a href=\"/corpus/crosswalk\">crosswalk</a> maps one onto the "
        "other, and <a href=\"/corpus/codes\">codes</a> lists every key with its official wording.</p>"
        "<p>Who did not publish: <a href=\"/corpus/coverage\">coverage</a> (the governments expected from GB/T 2260, "
        "per province, level and year, against the reports found, with the missing by name) and "
        "<a href=\"/corpus/agencies_absent\">agencies_absent</a> (agencies present one year, absent the next).</p>"
        "<p>Download: <a href=\"/-/download/corpus.db\">the SQLite database</a> (a consistent copy) · "
        "<a href=\"/-/release\">the release</a> (CSV with a BOM and Parquet per table, a Frictionless datapackage.json, "
        "the codebook, CITATION.cff, licences; written by <code>nianbao release</code>).</p>"
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
            # descriptions and columns come from the codebook (below); here what only Datasette needs
            "tables": {
                "reports": {"label_column": "title", "sort_desc": "year", "facets": ["year", "format", "level", "province", "check_status"],
                            "fts_table": "reports_fts", "fts_pk": "rowid"},
                "sections": {"sort": "section_no", "facets": ["section_no"]},
                "active_disclosure": {"facets": ["item", "measure", "status"]},
                "applications": {"sort": "row_order", "facets": ["row"]},
                "review_litigation": {"facets": ["proceeding"]},
                "checks": {"facets": ["ok", "check"]},
                "cells": {"facets": ["tbl", "status"]},
                "documents": {"facets": ["role", "status", "content_type"]},
                "agencies": {"label_column": "name", "facets": ["level", "agency_type", "province"]},
                "agency_years": {"facets": ["year", "level", "agency_type", "province"]},
                "report_search": {"fts_table": "reports_fts", "fts_pk": "report_rowid"},
                "review_litigation_by_year": {"facets": ["proceeding"]},
                "crawl_runs": {"sort_desc": "started_at"},
                "report_summary": {"facets": ["year", "format", "level", "province", "check_status"], "sort_desc": "year"},
                "applications_by_report": {"facets": ["row"]},
                "failed_checks": {"facets": ["year", "check"]},
                "codebook": {"sort": "table_name", "facets": ["table_name", "formats"]},
                "codes": {"sort": "position", "facets": ["tbl", "field", "formats"]},
                "crosswalk": {"facets": ["tbl", "relation"]},
                "divisions": {"facets": ["level", "province"]},
                "coverage": {"sort": "year"},
                "crawl_columns": {"sort_desc": "run_id", "facets": ["how_found", "pagination"]},
            },
            "queries": {},
        }
    },
    "plugins": {},
}

# Datasette-only advice appended to a table's codebook description
TIPS = {
    "report_search": "Facet the results by year, level, province, format or check_status with _facet= (each facet matches the "
                     "text again; for a term in every report of 100k, ~90 ms each).",
    "hierarchy_totals": "A view, computed for each query: facet it with _facet=year (level, province) when you need to "
                        "(each facet computes it again; at 100k reports ~90 ms each).",
    "applications_by_report": "Facets by year or level read every report's metadata: add them with _facet= when you need them.",
    "coverage": "Filter with ?year=2023&level=县级&province=山东省; facet with _facet=level (province, year).",
    "coverage_governments": "The missing of a year: ?year=2023&report_id__isnull=1; facets on demand (_facet=province).",
    "agencies_absent": "Filter with ?missing_year=2024; facets on demand (_facet=level).",
}
TABLES = meta["databases"]["corpus"]["tables"]
for name, kind, columns in schema_objects(connect(":memory:")):
    t = TABLES.setdefault(name, {})
    t["description"] = " ".join(x for x in (table_description(name), TIPS.get(name)) if x)
    t["columns"] = {c: describe(name, c) for c in columns}

Q = meta["databases"]["corpus"]["queries"]
# Every query that aggregates reports leaves out those that fail their checks unless asked: their
# numbers contradict themselves (a year's outcome shares summed to 0.93 with them). The parameter
# exclude_failing is on when empty (Datasette's default for a parameter) or 1; 0 includes them.
EXCLUDE = "(coalesce(:exclude_failing, '') in ('0', 'no', 'false') or check_status is not 'fail')"
# the same switch on the running totals (corpus/totals.py), which keep failing reports apart
EXCLUDE_TOTALS = "(coalesce(:exclude_failing, '') in ('0', 'no', 'false') or failing = 0)"


def total(f: str, t: str = "") -> str:
    """A figure summed over groups of running totals: empty when no report printed it, as SQL's sum()."""
    return f"case when sum({t}n_{f}) > 0 then sum({t}{f}) end"


TOTALS_NOTE = "-- totals_by_year_level: report_summary summed per year, level, failing and handled_class by triggers (corpus/totals.py)\n"
EXCLUDE_NOTE = (" Reports that fail their checks (check_status = fail) are excluded by default (exclude_failing empty or 1); "
                "set exclude_failing to 0 to include them.")

Q["applications_per_year_level"] = {
    "title": "Applications per year and level",
    "description": "Reports, new applications (本年新收) and handled applications (办理结果总计) per report year and administrative level." + EXCLUDE_NOTE,
    "sql": TOTALS_NOTE + f"select year, coalesce(level, '(unknown)') as level, sum(n_reports) as reports, {total('new_received')} as new_received,\n"
           f"  {total('total_handled')} as total_handled,\n"
           "  round(1.0 * sum(new_received) / nullif(sum(n_new_received), 0), 1) as mean_per_report\n"
           f"from totals_by_year_level where {EXCLUDE_TOTALS}\ngroup by year, level order by year, level",
}
# the reports a top_agencies row sums: of its year, if one is asked for, and passing their checks unless asked
REPORTS_OF_TOP = ("(coalesce(:year, '') = '' or s.year = cast(:year as integer)) and "
                  + EXCLUDE.replace("check_status", "s.check_status"))
Q["top_agencies"] = {
    "title": "Agencies with the most applications",
    "description": "Total new applications per agency over all years (or one year with year), one row per agency: agencies are "
                   "grouped by their stable agency_id, so an agency that published under two names is one row (names_as_published lists them)." + EXCLUDE_NOTE,
    "sql": "-- the running totals per agency (agency_totals) or per agency and year (agency_year_totals; corpus/totals.py):\n"
           "-- the 100 largest, completed from their reports\n"
           "with overall as (select t.agency_id, g.name as agency, sum(t.n_reports) as reports,\n"
           f"    {total('new_received', 't.')} as new_received\n"
           "  from agency_totals t join agencies g on g.agency_id = t.agency_id\n"
           f"  where coalesce(:year, '') = '' and {EXCLUDE_TOTALS.replace('or failing', 'or t.failing')}\n"
           "  group by t.agency_id order by new_received desc, t.agency_id limit 100),\n"
           "one_year as (select t.agency_id, g.name as agency, sum(t.n_reports) as reports,\n"
           f"    {total('new_received', 't.')} as new_received\n"
           "  from agency_year_totals t join agencies g on g.agency_id = t.agency_id\n"
           f"  where coalesce(:year, '') != '' and t.year = cast(:year as integer) and {EXCLUDE_TOTALS.replace('or failing', 'or t.failing')}\n"
           "  group by t.agency_id order by new_received desc, t.agency_id limit 100),\n"
           "top as (select * from overall union all select * from one_year)\n"
           "select o.agency_id, o.agency, o.reports,\n"
           + ",\n".join(f"  (select {agg} from report_summary s where s.agency_id = o.agency_id and {REPORTS_OF_TOP}) as {name}"
                        for agg, name in (("min(s.year)", "first_year"), ("max(s.year)", "last_year"),
                                          ("group_concat(distinct s.agency)", "names_as_published")))
           .replace(",\n  (select group_concat", ",\n  o.new_received,\n  (select group_concat") + "\n"
           "from top o order by new_received desc, agency_id",
}
Q["outcome_shares"] = {
    "title": "Outcome shares per year",
    "description": "Granted / partially granted / denied / unable to provide / not processed / other, as shares of all handled "
                   "applications (办理结果总计). Without failing reports the shares of a year sum to 1 (up to rounding and "
                   "reports whose result rows are incomplete)." + EXCLUDE_NOTE,
    "sql": TOTALS_NOTE + f"select year, {total('total_handled')} as handled,\n"
           + "".join(f"  round(1.0 * {total(f)} / nullif({total('total_handled')}, 0), 3) as {name},\n"
                     for f, name in (("granted", "granted"), ("partially_granted", "partially_granted"), ("denied", "denied"),
                                     ("unable", "unable"), ("not_processed", "not_processed"), ("other_handling", "other"))).rstrip(",\n")
           + f"\nfrom totals_by_year_level where handled_class > 0 and {EXCLUDE_TOTALS}\ngroup by year order by year",
}
Q["reports_not_adding_up"] = {
    "title": "Reports whose numbers do not add up, and why",
    "description": "Every broken identity, with the published and computed sides (the failing reports the other queries exclude by default).",
    "sql": "select year, agency, [check], description, expected, actual, difference, report_id, url\n"
           "from failed_checks order by year desc, agency",
}
Q["agency_over_years"] = {
    "title": "One agency, year over year",
    "description": "Key figures of one agency's reports (part of any name it has used is enough), with the change from the previous report. Agencies are followed by agency_id, so a renamed agency stays one series." + EXCLUDE_NOTE,
    "sql": "select year, agency, agency_id, new_received,\n"
           "  new_received - lag(new_received) over (partition by agency_id order by year) as change_new_received,\n"
           "  granted, denied, total_handled, review_total, litigation_total, check_status, report_id\n"
           "from report_summary where agency_id in (select agency_id from agency_names where name like '%' || :agency || '%')\n"
           f"  and {EXCLUDE}\norder by agency_id, year",
}
_OUT = ["upheld", "corrected", "other", "pending", "total"]
Q["review_litigation_outcomes"] = {
    "title": "Review and litigation outcomes per year",
    "description": "Table 四 summed per year: upheld, corrected, other, pending, total for each proceeding." + EXCLUDE_NOTE,
    "sql": "-- review_litigation_by_year: table 四 summed as reports are stored (n_x = reports that printed x),\n"
           "-- minus the failing reports' rows (few, found through the check_status index)\n"
           "with failing as (select coalesce(s.year, 0) as year, l.proceeding, count(*) as n_reports, "
           + ", ".join(f"coalesce(sum(l.{o}), 0) as {o}, count(l.{o}) as n_{o}" for o in _OUT) + "\n"
           "  from report_summary s join review_litigation l on l.report_id = s.report_id\n"
           "  where s.check_status = 'fail' and coalesce(:exclude_failing, '') not in ('0', 'no', 'false') group by 1, 2),\n"
           "t as (select b.year, b.proceeding, b.n_reports - coalesce(f.n_reports, 0) as n_reports, "
           + ", ".join(f"b.{o} - coalesce(f.{o}, 0) as {o}, b.n_{o} - coalesce(f.n_{o}, 0) as n_{o}" for o in _OUT) + "\n"
           "  from review_litigation_by_year b left join failing f on f.year = b.year and f.proceeding = b.proceeding)\n"
           "select nullif(year, 0) as year, proceeding, n_reports,\n"
           "  case when n_upheld > 0 then upheld end as upheld, case when n_corrected > 0 then corrected end as corrected,\n"
           "  case when n_other > 0 then other end as other, case when n_pending > 0 then pending end as pending,\n"
           "  case when n_total > 0 then total end as total,\n"
           "  case when n_corrected > 0 and n_total > 0 then round(1.0 * corrected / nullif(total, 0), 3) end as corrected_share\n"
           "from t where n_reports > 0 order by year, proceeding",
}
Q["search_short"] = {
    "title": "Search reports for a short term (1–2 characters)",
    "description": "The full-text index (trigram) needs 3+ characters; this scans the text instead, and stops at 200 reports. "
                   "The search page (/search) does this and more: any length, several terms, snippets, sections." + EXCLUDE_NOTE,
    "sql": "select report_id, year, agency, title, url from reports where body_text like '%' || :q || '%'\n"
           f"  and {EXCLUDE}\norder by year desc limit 200",
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
    "description_html": "New applications (本年新收) and reports per report year." + EXCLUDE_NOTE + " "
                        "Shown as a line chart by datasette-vega (“Show charting options” to change it).",
    "sql": TOTALS_NOTE + f"select year, {total('new_received')} as new_received, {total('total_handled')} as total_handled, "
           "sum(n_reports) as reports\n"
           f"from totals_by_year_level where {EXCLUDE_TOTALS}\ngroup by year having year is not null order by year",
}
Q["chart_outcome_shares"] = {
    "title": "Chart: outcome shares per year",
    "description_html": "Each outcome's share of all handled applications, per year, long form for a stacked bar chart." + EXCLUDE_NOTE,
    "sql": TOTALS_NOTE + f"with t as (select year, {total('total_handled')} as handled,\n  "
           + ", ".join(f"{total(f)} as {name}" for f, name in (("granted", "granted"), ("partially_granted", "partially_granted"),
                       ("denied", "denied"), ("unable", "unable"), ("not_processed", "not_processed"), ("other_handling", "other")))
           + f"\n  from totals_by_year_level where handled_class = 2 and {EXCLUDE_TOTALS} group by year)\n"
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
from corpus.charts import specs  # noqa: E402

meta["description_html"] += ("<p>Charts: " + " · ".join(f'<a href="/chart/{c["name"]}">{c["title"]}</a>' for c in specs().values())
                             + ". Interactive, with datasette-vega: "
                             + " · ".join(f'<a href="{u}">{t}</a>' for t, u in CHARTS.items()) + "</p>")

if __name__ == "__main__":
    (ROOT / "datasette_metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("wrote", ROOT / "datasette_metadata.json")
