"""HTTP routes for documents."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
