"""One-off builder of ``divisions.tsv`` from the ``adcodes.csv`` shipped in the
cpca 0.5.5 wheel (MIT licence, see LICENSE.cpca). Kept so the file can be
rebuilt from a newer snapshot; it is NOT run at install or run time.

Usage: python corpora/regions/build_divisions.py path/to/adcodes.csv > corpora/regions/divisions.tsv
"""
from __future__ import annotations

import csv
import sys

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(src: str) -> None:
    codes: dict[str, str] = {}
    with open(src, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            codes[row["adcode"][:6]] = row["name"]
    print("# adcode\tname\tlevel\tparent_adcode  (source: cpca 0.5.5 adcodes.csv, MIT; 2020 snapshot)")
    for code in sorted(codes):
        name = codes[code]
        if name in PLACEHOLDERS:
            continue
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            level = "county"
            city = code[:4] + "00"
            parent = city if city in codes and codes[city] not in PLACEHOLDERS else code[:2] + "0000"
        print(f"{code}\t{name}\t{level}\t{parent}")


if __name__ == "__main__":
    main(sys.argv[1])
