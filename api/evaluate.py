"""``make eval``: score the project against the dev gold data and report the
cross-validated accuracy of the trained classifiers.

Scores come from ``../shared/eval/score.py`` run against this project's own CLI,
exactly as an outside scorer would. Extra sections (classifier accuracy,
search baseline) are functions ``report() -> None`` named in ``EXTRA``; each is
run when its module exists.
"""
from __future__ import annotations

import argparse
import importlib
import os
import shlex
import subprocess
import sys
from pathlib import Path

TASKS = ("figures", "goals", "indicators", "search")
# (module, function) pairs that print a section of the report
EXTRA = (
    ("nlp.levels", "report"),  # indicator 一级/二级 classifier, cross-validated
    ("nlp.indicator_eval", "report"),  # indicator tables of unseen documents (PDF, .docx, .xlsx)
    ("nlp.indicator_fresh", "report"),  # the third held-out batch of indicator tables, labelled before scoring
    ("nlp.doctype", "report"),  # document type classifier, cross-validated
    ("nlp.entity_eval", "report"),  # org / policy_ref precision and recall on a labelled sample
    ("nlp.goal_eval", "report"),  # running-text goal detection on a held-out labelled sample
    ("nlp.goal_model", "report"),  # goal clauses of unseen documents: rules and model, grouped by document
    ("nlp.figure_eval", "report"),  # figures on a held-out labelled sample of unseen texts
    ("nlp.meta_eval", "report"),  # document type / org / region / year on labelled real documents
    ("search.baseline", "report"),  # search relevance vs the character-bigram BM25 baseline
    ("search.relevance", "report"),  # every search mode on our own gold (needs a built store)
)


TREE = Path(__file__).resolve().parents[1]  # the checkout this module belongs to


def this_tree_cli() -> str:
    """The command the scorer runs: this checkout's CLI (``python -m api.cli``,
    run from :data:`TREE`), not the installed ``policylens`` script. Why: the
    script runs the code of wherever the package was installed from, so a
    second checkout (a worktree, a CI clone beside an editable install) was
    scored on the other checkout's code."""
    return f"{shlex.quote(sys.executable)} -m api.cli"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--only", action="append")
    args = ap.parse_args()
    shared = args.shared.resolve()
    # the extra reports (meta_eval, search.baseline ...) read the shared data from the environment:
    # give them the directory asked for, not their own ``../shared`` default
    os.environ["POLICYLENS_SHARED"] = str(shared)
    score = shared / "eval" / "score.py"
    for task in TASKS:
        if args.only and task not in args.only:
            continue
        gold = shared / "gold" / f"{task}_dev.jsonl"
        if not gold.exists():
            continue
        print(f"== {task}", flush=True)
        proc = subprocess.run([sys.executable, str(score), task, "--gold", str(gold),
                               "--corpus", str(shared / "corpus"), "--cmd", this_tree_cli()],
                              capture_output=True, text=True, cwd=TREE)
        lines = proc.stdout.strip().splitlines()
        for line in lines[:-1][:15]:
            print("   ", line)
        print(lines[-1] if lines else proc.stderr[-2000:], flush=True)
    for module_name, func in EXTRA:
        if args.only and module_name not in args.only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name == module_name:
                continue
            raise
        if hasattr(module, func):
            print(f"== {module_name}", flush=True)
            getattr(module, func)()


if __name__ == "__main__":
    main()
