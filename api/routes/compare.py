"""HTTP routes for compare."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
