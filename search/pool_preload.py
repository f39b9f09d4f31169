"""Imported by the workers' fork server (``multiprocessing`` preload; see
:mod:`search.pool`): importing it warms the pipeline once, so every worker
forked afterwards starts with the pipeline, dictionaries and models loaded."""
from search.pool import preload

preload()
