"""CLI commands for indicators."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
