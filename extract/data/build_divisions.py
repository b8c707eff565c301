"""Regenerate ``divisions.csv`` (GB/T 2260 divisions with names and pinyin) — a maintainer's tool.

Input: the ``adcodes.csv`` shipped in the MIT-licensed ``cpca`` package (province, prefecture and
county divisions with 12-digit codes, whose first six digits are the GB/T 2260 code). Pinyin from
``pypinyin``. Neither is needed at run time: the generated CSV is committed.

    pip install cpca pypinyin && python extract/data/build_divisions.py path/to/adcodes.csv
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ETHNIC = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
          "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
          "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各")
AUTONOMOUS = re.compile(rf"^(.+?)(?:(?:{ETHNIC})族)+自治(?:州|县|旗)$")
SUFFIX = re.compile(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|地区|盟|林区|县|区|旗)$")


def short_name(name: str) -> str:
    m = AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    short = SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


def main(src: str) -> None:
    from pypinyin import Style, lazy_pinyin

    out = Path(__file__).with_name("divisions.csv")
    rows = []
    with open(src, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            name, code = r["name"].strip(), r["adcode"][:6]
            if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or not code.isdigit():
                continue
            short = short_name(name)
            rows.append({
                "code": code, "name": name, "short": short,
                "pinyin": "".join(lazy_pinyin(name)), "short_pinyin": "".join(lazy_pinyin(short)),
                "initials": "".join(lazy_pinyin(short, style=Style.FIRST_LETTER)),
            })
    rows.sort(key=lambda r: r["code"])
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} divisions → {out}")


if __name__ == "__main__":
    main(sys.argv[1])
