"""Kept so existing imports work; the error lives in core, which every app may use."""

from core.errors import ApplicationError

__all__ = ["ApplicationError"]
