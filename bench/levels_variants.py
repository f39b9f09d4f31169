"""5-fold tables score of the 二级 classifier with module knobs set (session 15 experiment, reverted after).

Run: ``python -m bench.levels_variants TABLE_WEIGHT_POWER=0.5 ENTRY_EVIDENCE=0.1 ...``; each argument
is one variant (``ENTRY_EVIDENCE`` and ``PRIOR_POWER`` … as in ``nlp.levels``; ENTRY_EVIDENCE is a
probability, its log is used; SKIP=a:b sets SKIP=a and SKIP_START=b=="1").
"""
from __future__ import annotations

import math
import sys

from nlp import levels


def main(args: list[str]) -> None:
    for arg in args:
        knob, value = arg.split("=")
        saved = {k: getattr(levels, k) for k in ("TABLE_WEIGHT_POWER", "ENTRY_EVIDENCE", "SKIP", "SKIP_START",
                                                  "HEAD_NOUN", "PRIOR_POWER")}
        if knob == "SKIP":
            skip, start = value.split(":")
            levels.SKIP, levels.SKIP_START = float(skip), start == "1"
        elif knob == "ENTRY_EVIDENCE":
            levels.ENTRY_EVIDENCE = math.log(float(value))
        elif knob == "HEAD_NOUN":
            levels.HEAD_NOUN = value == "1"
        else:
            setattr(levels, knob, float(value))
        f = levels.cross_validated_tables()
        print(f"{arg}: 5-fold tables table={f['table mean per document']:.3f} | {f['table rows']:.3f} "
              f"table+一级={f['table+一级 mean per document']:.3f} | {f['table+一级 rows']:.3f}", flush=True)
        for k, v in saved.items():
            setattr(levels, k, v)


if __name__ == "__main__":
    main(sys.argv[1:])
