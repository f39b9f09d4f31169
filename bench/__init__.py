"""Benchmarks (``make bench``). Each section module has ``run(shared: Path) -> None``
and prints its figures side by side with the baseline it is compared with."""
