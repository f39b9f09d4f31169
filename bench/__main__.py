"""Run every benchmark section: ``python -m bench [--shared ../shared] [--only NAME]``."""
from __future__ import annotations

import argparse
import importlib
import time
from pathlib import Path

# section module names under bench/, in run order
SECTIONS = ("ingest_speed", "search_latency", "figures_speed", "scale", "engine_scale", "hybrid_latency",
            "page_latency", "newspaper")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--only", action="append", help="run only these sections")
    args = ap.parse_args()
    for name in SECTIONS:
        if args.only and name not in args.only:
            continue
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"bench.{name}":
                print(f"== {name}: not available")
                continue
            raise
        print(f"== {name}")
        t0 = time.perf_counter()
        module.run(args.shared)
        print(f"   ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
