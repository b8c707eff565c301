"""One registry of platforms (crawler/data/platforms.toml) that detect(), the CLI and the mocks read."""
import subprocess
import sys

from crawler.families import FAMILIES
from crawler.families.registry import detect_platform, names, platforms
from nianbao.portal.platforms import MOCKS

from conftest import ROOT


def test_families_are_the_registry_in_priority_order():
    assert list(FAMILIES) == names()
    prios = [p.priority for p in platforms()]
    assert prios == sorted(prios)


def test_generic_is_the_only_fallback_and_comes_last():
    fallbacks = [p.name for p in platforms() if p.is_fallback]
    assert fallbacks == ["generic"] and names()[-1] == "generic"


def test_every_platform_names_its_evidence_except_the_fallback():
    assert all(p.evidence for p in platforms() if not p.is_fallback)


def test_each_mock_of_a_registered_platform_is_detected_as_that_platform():
    for name, build in MOCKS.items():
        site = build()
        if site.platform == "generic":
            continue
        path = site.column_paths[0]
        body = site.resources[path.split("#")[0]].body
        assert detect_platform("http://127.0.0.1" + path, body) == site.platform, name


def test_every_new_platform_of_the_registry_has_a_mock():
    mocked = {build().platform for build in MOCKS.values()}
    older = {"trs", "hanweb", "vsb", "generic"}  # mocked by nianbao.portal.builders (tests/test_crawl_families.py)
    assert set(names()) - older <= mocked


def test_a_more_specific_platform_wins_over_one_whose_fingerprint_it_also_carries():
    ucap_page = b"<script>createPageHTML('page_div',5, 1,'xxgk_list','shtml',40);</script>"
    trs_page = b'<script>createPageHTML(5, 0, "index", "html");</script>'
    assert detect_platform("http://x/a/xxgk_list.shtml", ucap_page) == "ucap"
    assert detect_platform("http://x/a/index.html", trs_page) == "trs"


def test_cli_family_choices_are_the_registry():
    out = subprocess.run([sys.executable, "-m", "nianbao.cli", "crawl", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    assert "{" + ",".join(names()) + "}" in out


def test_the_readme_lists_the_registrys_platforms():
    from crawler.families.registry import table

    assert table() in (ROOT / "README.md").read_text(encoding="utf-8")
