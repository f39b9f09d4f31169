"""The service: CLI (``api.cli``), FastAPI app (``api.app``) and web pages.

Thin on purpose: every command and route calls ``search``/``nlp``/``ingest`` and renders.
"""
