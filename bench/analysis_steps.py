"""Where the one-core text path spends its time: CPU seconds of each pipeline
component, of the index columns and of the store's write, over the text samples
(the set ``bench.ingest_speed one_core`` times), fastest of ``BENCH_ROUNDS``
rounds per step, next to bare ``jieba.lcut`` over the same texts.

It also prints the one-core ratio the path would reach if goal finding cost
nothing, to show what the rest of the path allows.
``python -m bench.analysis_steps`` (run it at the same load as what you compare).
"""
from __future__ import annotations

import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def _timed(spent: dict[str, float], key: str, step: Callable[..., Any], *args: Any) -> Any:
    """``step(*args)``, its CPU seconds added to ``spent[key]``."""
    t = time.process_time()
    out = step(*args)
    spent[key] += time.process_time() - t
    return out


def run(shared: Path | None = None) -> None:
    import jieba

    from bench.ingest_speed import text_files
    from nlp.pipeline import analyse, get_nlp, make_doc, warm_up
    from search.baseline import read_document
    from search.sqlite import SQLiteBackend
    from search.tokenize import document_columns, ensure_jieba, normalize

    warm_up()
    ensure_jieba()
    normalize("预热，Ａ")
    files = text_files()
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(ROUNDS):
        spent: dict[str, float] = defaultdict(float)
        with tempfile.TemporaryDirectory() as tmp:
            backend = SQLiteBackend(Path(tmp) / "steps.sqlite3")
            for f in files:
                document = _timed(spent, "read", read_document, f)
                _timed(spent, "(bare jieba.lcut)", jieba.lcut, document.text)
                doc = _timed(spent, "tokenise (make_doc)", make_doc, document)
                for name, component in get_nlp().pipeline:
                    doc = _timed(spent, name.replace("policylens_", ""), component, doc)
                analysis = analyse(document)  # the Analysis the index takes (not timed again)
                spans = [(p.start, p.end) for p in document.passages]
                columns = _timed(spent, "index columns", document_columns, document.text, spans,
                                 analysis.tokens)
                _timed(spent, "store write", lambda: backend.add(document, analysis, columns=columns))
            backend.close()
        for k, v in spent.items():
            best[k] = min(best[k], v)
    jieba_s = best.pop("(bare jieba.lcut)")
    total = sum(best.values())
    print(f"   text samples: {len(files)} files, CPU seconds, fastest of {ROUNDS} rounds per step")
    for k, v in best.items():
        print(f"   {k:<22}{v:>8.3f}")
    print(f"   {'sum':<22}{total:>8.3f}")
    print(f"   {'bare jieba.lcut':<22}{jieba_s:>8.3f}")
    print(f"   ratio (jieba / sum): {jieba_s / total:.2f}; with goal finding at 0 s:"
          f" {jieba_s / (total - best.get('goals', 0.0)):.2f}")


if __name__ == "__main__":
    run()
