"""The ``policylens`` command line. Each resource registers its commands from
``api/commands/<resource>.py``."""
from __future__ import annotations

import typer

from api.commands import compare, core, entities, figures, goals, indicators, metadata

app = typer.Typer(
    name="policylens",
    help="PolicyLens: 中文财政文本的检索与抽取 / search and extraction for Chinese public-finance texts.",
    no_args_is_help=True,
    add_completion=False,
)

for _module in (core, figures, goals, indicators, entities, compare, metadata):
    _module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
