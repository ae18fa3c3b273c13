"""Generate the place lexicons of :mod:`extractors.gazetteer` from library data.

Run from the repository root::

    python -m extractors.data.make_places

Inputs (all shipped by installed packages, nothing is downloaded):

- ``cpca/resources/adcodes.csv``: every administrative division of China with
  its 12-digit code (2 digits province, 4 prefecture, 6 county);
- ``cpca/resources/56_nations.csv``: the 56 ethnic groups, used to strip
  ethnic qualifiers from autonomous areas (巴音郭楞蒙古自治州 -> 巴音郭楞);
- ``jieba/dict.txt``: word frequencies and POS tags, used to rate how risky a
  bare short form is (安康, 来宾, 东方 are common words) and to list named
  water bodies, mountains and islands (tag ``ns``).

Outputs (next to this file):

- ``places_admin.jsonl``: one division per line: ``adcode`` (6 digits),
  ``name`` (official), ``canonical``, ``level`` (province, prefecture,
  county), ``parent`` (adcode or null), ``aliases`` and ``short`` (bare
  short forms that need context), ``risky`` (short forms that are common words).
- ``places_natural.jsonl``: named natural features from jieba's lexicon.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cpca
import jieba

OUT = Path(__file__).resolve().parent
CPCA = Path(cpca.__file__).resolve().parent / "resources"
JIEBA_DICT = Path(jieba.__file__).resolve().parent / "dict.txt"

#: Placeholder rows of the code table that are not places.
PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
#: Official suffixes, longest first; the part before is the short form.
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "省", "市", "县",
            "区", "盟", "旗")
#: Name-like jieba tags; other tags mark common words.
NAME_TAGS = ("ns", "nr", "nrt", "nz", "nt")
#: A short form in the lexicon with a non-noun tag and at least this frequency is a common word.
RISKY_FREQ = 100
#: A short form tagged as a common noun is risky from this frequency on (日照, 大理).
RISKY_NOUN_FREQ = 500
NATURAL_SUFFIXES = ("江", "河", "湖", "峡", "山", "岛", "海", "沙漠", "草原", "湿地", "山脉", "高原", "盆地",
                    "峡谷", "冰川", "群岛", "半岛")


def load_lexicon() -> dict[str, tuple[int, str]]:
    """Read jieba's dictionary as ``word -> (frequency, tag)``."""
    lex = {}
    with JIEBA_DICT.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                lex[parts[0]] = (int(parts[1]), parts[2])
    return lex


def ethnic_names() -> list[str]:
    """Ethnic qualifiers with and without 族, longest first (维吾尔族, 维吾尔, ...)."""
    with (CPCA / "56_nations.csv").open(encoding="utf-8") as fh:
        names = [line.strip() for line in fh if line.strip()]
    forms = set(names) | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return sorted(forms, key=len, reverse=True)


def strip_ethnic(stem: str, ethnic: list[str]) -> str:
    """Remove trailing ethnic qualifiers, keeping at least two characters."""
    changed = True
    while changed:
        changed = False
        for e in ethnic:
            if stem.endswith(e) and len(stem) - len(e) >= 2:
                stem = stem[: -len(e)]
                changed = True
                break
    return stem


def split_suffix(name: str) -> tuple[str, str]:
    """Split an official name into ``(stem, suffix)``; the suffix may be empty."""
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)], suf
    return name, ""


def is_risky(word: str, lex: dict[str, tuple[int, str]]) -> bool:
    """Whether a bare short form is also a common word (安康, 东方, 和平, 朝阳)."""
    if word not in lex:
        return False
    freq, tag = lex[word]
    if tag in ("nr", "nrt", "nz") and freq >= RISKY_NOUN_FREQ:  # 阿里, 桂林: also brands, people
        return True
    if tag in NAME_TAGS:
        return False
    return freq >= (RISKY_NOUN_FREQ if tag == "n" else RISKY_FREQ)


def admin_records(lex: dict[str, tuple[int, str]]) -> list[dict]:
    """Build one record per administrative division from cpca's code table."""
    ethnic = ethnic_names()
    rows = {}
    with (CPCA / "adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"].strip()
            if name in PLACEHOLDERS or not name:
                continue
            rows[code] = name
    out = []
    for code in sorted(rows):
        name = rows[code]
        if code.endswith("0000"):
            level, parent = "province", None
        elif code.endswith("00"):
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level = "county"
            pref = code[:4] + "00"
            parent = pref if pref in rows else code[:2] + "0000"
        stem, suf = split_suffix(name)
        short = strip_ethnic(stem, ethnic) if suf.startswith("自治") or suf == "特别行政区" else stem
        if suf == "特别行政区":
            short = stem
        if len(short) < 2:  # 城区, 郊区, 矿区: no usable short form
            short = ""
            if suf == "区":  # and the full name is a generic word
                continue
        full = {name}
        if short and suf == "自治州":
            full.add(short + "州")
        if short and suf == "自治县":
            full.add(short + "县")
        if short and suf == "自治旗":
            full.add(short + "旗")
        if level == "province" or (suf == "市" and short):
            canonical = short
        elif suf == "自治县" and short:
            canonical = short + "县"
        else:
            canonical = name
        aliases = sorted(full | ({short} if short else set()))
        out.append({
            "adcode": code,
            "name": name,
            "canonical": canonical,
            "level": level,
            "parent": parent,
            "suffix": suf,
            "aliases": aliases,
            "full": sorted(full),
            "short": short,
            "risky": bool(short) and is_risky(short, lex),
        })
    return out


def natural_records(lex: dict[str, tuple[int, str]], admin_names: set[str]) -> list[dict]:
    """Named natural features: jieba place words (``ns``) with a landform suffix.

    Only words of three or more characters whose stem is not itself a common
    word are kept (咸水湖, 火山岛 are kinds, not names); two-character ones
    (长江, 黄河) are left to context patterns in the matcher.
    """
    out = []
    for word, (freq, tag) in sorted(lex.items()):
        if tag != "ns" or len(word) < 3 or word in admin_names:
            continue
        suf = next((s for s in sorted(NATURAL_SUFFIXES, key=len, reverse=True) if word.endswith(s)), None)
        if not suf:
            continue
        stem = word[: -len(suf)]
        if stem in lex and lex[stem][1] not in NAME_TAGS:
            continue
        out.append({"name": word, "suffix": suf, "freq": freq})
    return out


def water_words(lex: dict[str, tuple[int, str]]) -> list[str]:
    """Two-character rivers and lakes (长江, 黄河), accepted only before 流域/沿岸-type words."""
    return sorted(w for w, (_, tag) in lex.items() if tag == "ns" and len(w) == 2 and w[-1] in "江河湖")


def main() -> None:
    """Write the generated lexicons next to this script."""
    lex = load_lexicon()
    admin = admin_records(lex)
    with (OUT / "places_admin.jsonl").open("w", encoding="utf-8") as fh:
        for rec in admin:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    names = {a for rec in admin for a in rec["aliases"]}
    natural = natural_records(lex, names)
    with (OUT / "places_natural.jsonl").open("w", encoding="utf-8") as fh:
        for rec in natural:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for w in water_words(lex):
            if w not in names:
                rec = {"name": w, "suffix": w[-1], "needs_context": True}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(admin)} divisions, {len(natural)} natural features")


if __name__ == "__main__":
    main()
