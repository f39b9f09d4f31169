"""A multi-megabyte newspaper text analysed as an upload or an ingest worker does.

``python -m bench.newspaper [--shared ../shared] [--mb 5.3] [--profile]``

The text is made of real news releases from ``bench-corpus`` (``mof_t*.txt``):
each becomes an article with a headline, a lead byline (本报讯（记者 …）), its
paragraphs and now and then a closing byline (本报记者 …), under page headers
(第N版); the releases are cycled, and a number in each copy varied, until the
size is reached. Timed: reading the bytes, the whole analysis, and the index
columns (``search.pool.analyse_upload``), in this process with the pipeline
warmed first. ``--profile`` prints the 25 most expensive functions.

Target (issue 15): a 5 MB newspaper text ingested in under 60 s.
"""
from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import re
import time
from pathlib import Path

REPORTERS = ("张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")


def newspaper_text(shared: Path, megabytes: float) -> str:
    """News releases as newspaper articles until the text has ``megabytes`` MB (UTF-8)."""
    sources = sorted((Path(shared) / "bench-corpus").glob("mof_t*.txt"))
    if not sources:
        raise SystemExit(f"no news texts in {shared}/bench-corpus (mof_t*.txt)")
    releases = [s.read_text(encoding="utf-8").strip().split("\n") for s in sources]
    target = int(megabytes * 2**20)
    out: list[str] = []
    size = page = 0
    for n, lines in enumerate(itertools.cycle(releases)):
        if size >= target:
            break
        if n % 6 == 0:
            page += 1
            out.append(f"第{page}版　财经新闻")
        who = REPORTERS[n % len(REPORTERS)]
        body = [line for line in lines[1:] if line.strip()]
        # vary a number per copy so repeated releases are not identical paragraphs
        body = [re.sub(r"\d+", lambda m: str(int(m.group()) + n // len(releases)), line, count=1)
                for line in body]
        article = [lines[0], f"本报讯（记者 {who}）{body[0] if body else ''}", *body[1:]]
        if n % 3 == 0:
            article.append(f"本报记者 {who}")
        block = "\n".join(article)
        out.append(block)
        size += len(block.encode("utf-8")) + 1
    return "\n".join(out)


def timed_analysis(text: str) -> dict[str, float]:
    """Seconds to read, analyse and tokenise the text for the index (one worker's job)."""
    from ingest.readers import read_bytes
    from nlp.pipeline import analyse
    from search.tokenize import document_columns

    t0 = time.perf_counter()
    document = read_bytes(text.encode("utf-8"), "news.txt", "upload:news.txt")
    t1 = time.perf_counter()
    analysis = analyse(document)
    t2 = time.perf_counter()
    document_columns(document.text, [(p.start, p.end) for p in document.passages], analysis.tokens)
    t3 = time.perf_counter()
    return {"read_s": t1 - t0, "analyse_s": t2 - t1, "columns_s": t3 - t2, "total_s": t3 - t0,
            "articles": len(analysis.articles), "items": len(analysis.items),
            "passages": len(document.passages)}


def run(shared: Path, megabytes: float = 5.3, profile: bool = False) -> dict[str, float]:
    from nlp.pipeline import warm_up

    text = newspaper_text(shared, megabytes)
    warm_up()
    print(f"newspaper text: {len(text.encode('utf-8')) / 2**20:.2f} MB, {len(text):,} characters")
    if profile:
        prof = cProfile.Profile()
        prof.enable()
    out = timed_analysis(text)
    if profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    print("  read {read_s:.1f} s, analyse {analyse_s:.1f} s, index columns {columns_s:.1f} s: "
          "total {total_s:.1f} s ({articles} articles, {passages} passages, {items} items)"
          .format(**out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--mb", type=float, default=5.3)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    run(args.shared, args.mb, args.profile)


if __name__ == "__main__":
    main()
