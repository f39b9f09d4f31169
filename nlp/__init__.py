"""Chinese analysis and extraction: Document in, :class:`nlp.items.Analysis` out.

The entry point is :func:`nlp.pipeline.analyse`. Extracted types live in
:mod:`nlp.items`.
"""
