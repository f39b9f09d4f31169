"""``make eval`` scores the checkout it runs in: the scorer calls this tree's CLI, not an installed script."""
from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from api import evaluate


def test_the_scorer_runs_this_checkouts_cli_before_any_other_copy(tmp_path: Path) -> None:
    # another copy of the package first on the path (as an editable install of another
    # checkout is): the command still runs this checkout's CLI
    other = tmp_path / "api"
    other.mkdir()
    (other / "__init__.py").write_text("")
    (other / "cli.py").write_text("print('the other checkout')\n")
    cmd = shlex.split(evaluate.this_tree_cli())
    assert cmd[1:] == ["-m", "api.cli"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    out = subprocess.run([*cmd, "--help"], cwd=evaluate.TREE, env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "extract" in out.stdout and "the other checkout" not in out.stdout
    assert (evaluate.TREE / "api" / "cli.py").is_file()


def test_the_shared_directory_asked_for_reaches_the_extra_reports(tmp_path: Path, shared_dir: Path) -> None:
    """``--shared DIR`` is what every report reads, from any working directory: the extra reports
    (search.baseline ...) used to fall back to ``../shared`` and crash with a traceback."""
    shared = shared_dir.resolve()
    env = {k: v for k, v in os.environ.items() if k != "POLICYLENS_SHARED"}
    env["POLICYLENS_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(evaluate.TREE)
    out = subprocess.run([evaluate.sys.executable, "-m", "api.evaluate", "--shared", str(shared),
                          "--only", "search.baseline"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "bigram BM25 baseline" in out.stdout and "Traceback" not in out.stderr
