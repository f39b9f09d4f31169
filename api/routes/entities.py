"""HTTP routes for entities."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
