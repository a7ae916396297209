"""``/api/health``: is the server up (public, no data)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(prefix="/api", tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/health")
def health() -> Health:
    """Say the server is up."""
    return Health(status="ok")
