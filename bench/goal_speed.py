"""CPU time of goal finding over the dev corpus, this tree against an earlier commit, in one run.

Why: goal rules run on every document, so a rule change must say what it costs. Wall time on a
shared machine swings by a fifth between runs; the CPU time of the process (best of several
passes, the two trees alternating) is steady enough to read a ratio from.

``python -m bench.goal_speed REV [ROUNDS]`` exports ``REV`` (``git archive``) to a temporary folder,
then alternates the two trees ``ROUNDS`` times (3): each round runs :func:`nlp.goals.extract`
(rules and clause model, no Doc) over the dev documents in a fresh process, once to warm up and
then five timed passes, and keeps the best pass. It prints both times and the ratio.

``python -m bench.goal_speed --profile [N]``: where this tree's goal time goes: the same passes over the same
documents under ``cProfile`` (one pass to warm up, then :data:`PASSES`), the ``N`` (25) functions of most
internal time and those of most cumulative time. The profiler's own cost falls on every Python call, so read
it for the order of the costs, and the timer above for their size (session 15: the README of ``corpora/goals``,
"Session 15 (helper goalspeed15)", has the top costs before and after).

``--context=PATH``: this tree runs with the context model's parameters read from ``PATH`` (a file
``python -m bench.goal_ctx export`` wrote) instead of ``corpora/goals/clause_context.json``, so the cost
of the context model can be measured before it ships (it scores every clause, :func:`nlp.goals.decide`).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSES = 5

TIMER = f"""
import json, os, time
from pathlib import Path
from nlp import goal_model, goals
if os.environ.get("GOAL_SPEED_CONTEXT"):
    from nlp import goal_context
    _context = json.loads(Path(os.environ["GOAL_SPEED_CONTEXT"]).read_text(encoding="utf-8"))
    goal_context.params = lambda: _context
corpus = Path({os.environ.get("POLICYLENS_SHARED", "/work/shared")!r}) / "corpus"
docs = [goal_model.load_document(p.name) for p in sorted(corpus.iterdir()) if p.suffix in (".txt", ".md", ".pdf")]
for d in docs:
    goals.extract(None, d)
best = None
for _ in range({PASSES}):
    t = time.process_time()
    for d in docs:
        goals.extract(None, d)
    spent = time.process_time() - t
    best = spent if best is None else min(best, spent)
print(best)
"""


def export(rev: str, into: Path) -> Path:
    """The tree of ``rev`` written under ``into`` (read-only use: nothing is installed)."""
    archive = into / "tree.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev], stdout=f, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def best_seconds(tree: Path, context: str | None = None) -> float:
    """The best pass of the timer run with ``tree`` first on the import path (``context``: the
    context model's parameters to use, see ``--context``)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "GOAL_SPEED_CONTEXT": context or ""}
    out = subprocess.run([sys.executable, "-c", TIMER], cwd=tree, env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def profile(top: int) -> None:
    """Print the ``top`` functions of most internal and of most cumulative time over :data:`PASSES` passes
    of :func:`nlp.goals.extract` over the dev documents (this tree, in this process)."""
    import cProfile
    import pstats

    from nlp import goal_model, goals

    corpus = Path(os.environ.get("POLICYLENS_SHARED", "/work/shared")) / "corpus"
    docs = [goal_model.load_document(p.name) for p in sorted(corpus.iterdir()) if p.suffix in (".txt", ".md", ".pdf")]
    for d in docs:
        goals.extract(None, d)  # type: ignore[arg-type]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PASSES):
        for d in docs:
            goals.extract(None, d)  # type: ignore[arg-type]
    profiler.disable()
    for order in ("tottime", "cumulative"):
        pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(top)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--profile"]:
        profile(int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 25)
        return 0
    context = next((a.split("=", 1)[1] for a in argv if a.startswith("--context=")), None)
    unknown = [a for a in argv if a.startswith("-") and not a.startswith("--context=")]
    if unknown:  # a mistyped option silently timed the wrong thing before
        print(f"unknown option: {' '.join(unknown)}")
        print(__doc__)
        return 2
    argv = [a for a in argv if not a.startswith("--")]
    if not argv:
        print(__doc__)
        return 2
    if context is not None and not Path(context).is_file():
        print(f"--context: no such file: {context}")
        return 2
    rounds = int(argv[1]) if len(argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        base = export(argv[0], Path(tmp))
        then, now = [], []
        for _ in range(rounds):
            then.append(best_seconds(base))
            now.append(best_seconds(ROOT, str(Path(context).resolve()) if context else None))
    print(f"{argv[0]}: {min(then):.3f} s  this tree: {min(now):.3f} s  ratio {min(now) / min(then):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
