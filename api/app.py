"""The FastAPI application: one router per resource, the store as a dependency."""
from __future__ import annotations

from fastapi import FastAPI

from api.routes import compare, documents, entities, figures, goals, indicators, pages, search


def create_app() -> FastAPI:
    app = FastAPI(
        title="PolicyLens",
        description="Search and extraction for Chinese public-finance texts / 中文财政文本检索与抽取",
        version="0.1.0",
    )
    for module in (search, documents, figures, goals, indicators, entities, compare, pages):
        app.include_router(module.router)
    return app


app = create_app()
