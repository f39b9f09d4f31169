"""HTTP routes for search."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
