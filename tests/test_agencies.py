"""One agency, one id, across years and small changes of name: the panel researchers follow."""
from corpus.agencies import agency_key, same_agency
from corpus.load import store_report
from corpus.schema import connect
from extract.documents import extract_document
from extract.report import Report


def report(agency, year):
    return Report(kind="html", title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency, year=year)


def store(db, agency, year, url):
    store_report(db, report(agency, year), url=url)
    return db.execute("select agency_id from reports where url = ?", [url]).fetchone()[0]


def test_keys_ignore_spaces_punctuation_and_the_people_in_peoples_government():
    assert agency_key("示范县 人民政府") == agency_key("示范县政府") == agency_key("示范县（人民政府）")


def test_dropping_the_county_prefix_is_the_same_agency():
    assert same_agency(agency_key("安丘市官庄镇人民政府"), agency_key("官庄镇人民政府"))


def test_two_departments_of_one_county_stay_apart():
    assert not same_agency(agency_key("安丘市民政局"), agency_key("安丘市财政局"))
    assert not same_agency(agency_key("安丘市教育局"), agency_key("安丘市财政局"))


def test_names_one_character_apart_are_different_agencies():
    assert not same_agency(agency_key("临沂市兰山区教育局"), agency_key("临沂市兰山区体育局"))
    assert not same_agency(agency_key("示范县第一中学"), agency_key("示范县第二中学"))


def test_a_name_that_gains_its_county_prefix_later_stays_the_same_agency(tmp_path):
    db = connect(tmp_path / "c.db")
    first = store(db, "官庄镇人民政府", 2022, "http://www.anqiu.gov.cn/a/2022.html")
    assert store(db, "安丘市官庄镇人民政府", 2023, "http://www.anqiu.gov.cn/a/2023.html") == first
    assert store(db, "安丘市管庄镇人民政府", 2023, "http://www.anqiu.gov.cn/b/2023.html") != first


def test_one_agency_keeps_one_id_across_years_and_name_variants(tmp_path):
    db = connect(tmp_path / "c.db")
    ids = {store(db, "安丘市官庄镇人民政府", 2022, "http://www.anqiu.gov.cn/a/2022.html"),
           store(db, "安丘市官庄镇政府", 2023, "http://www.anqiu.gov.cn/a/2023.html"),
           store(db, "官庄镇人民政府", 2024, "http://www.anqiu.gov.cn/a/2024.html")}
    assert len(ids) == 1
    panel = [r["year"] for r in db.query("select year from agency_years order by year")]
    assert panel == [2022, 2023, 2024]


def test_the_agency_is_named_by_its_fullest_name_whatever_order_its_reports_arrive_in(tmp_path):
    # a crawl extracts reports concurrently (extract/limits.py), so arrival order is not fixed
    names = []
    for i, order in enumerate([("示范县政府", "示范县人民政府"), ("示范县人民政府", "示范县政府")]):
        db = connect(tmp_path / f"{i}.db")
        agency_id = [store(db, name, 2020 + k, f"http://x/{k}.html") for k, name in enumerate(order)][0]
        names.append(db.execute("select name from agencies where agency_id = ?", [agency_id]).fetchone()[0])
    assert names == ["示范县人民政府", "示范县人民政府"]


def test_the_same_name_in_two_places_is_two_agencies(tmp_path):
    db = connect(tmp_path / "c.db")
    a = store(db, "县财政局", 2023, "http://www.kaihua.gov.cn/r.html")
    b = store(db, "县财政局", 2023, "http://www.dongtai.gov.cn/r.html")
    assert a != b


def test_agency_ids_survive_a_rebuild_in_a_new_database(tmp_path):
    first = store(connect(tmp_path / "a.db"), "沭阳县人民政府", 2024, "http://www.shuyang.gov.cn/r.html")
    again = store(connect(tmp_path / "b.db"), "沭阳县人民政府", 2024, "http://www.shuyang.gov.cn/r.html")
    assert first == again


def test_re_extracting_a_report_keeps_its_agency(tmp_path):
    db = connect(tmp_path / "c.db")
    assert store(db, "沭阳县人民政府", 2024, "http://x.gov.cn/r.html") == store(db, "沭阳县人民政府", 2024, "http://x.gov.cn/r.html")
    assert db["agencies"].count == 1


def test_page_metadata_names_the_agency_when_nothing_else_does():
    html = ('<html><head><meta name="ContentSource" content="沭阳县人民政府"><title>年度报告</title></head>'
            '<body><h1>年度报告</h1><p>一、总体情况</p><p>本年度信息公开工作平稳有序。</p></body></html>').encode()
    r = extract_document(html, content_type="text/html")
    assert (r.agency, r.agency_source) == ("沭阳县人民政府", "page_meta")


def test_the_title_outranks_page_metadata():
    html = ('<html><head><meta name="ContentSource" content="沭阳县人民政府办公室"></head>'
            '<body><h1>沭阳县人民政府2024年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>').encode()
    r = extract_document(html, content_type="text/html")
    assert (r.agency, r.agency_source, r.year) == ("沭阳县人民政府", "title", 2024)
