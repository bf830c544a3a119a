"""The local web page (`budgetgen serve`): check, preview, edit and build without a shell."""

from .app import create_app

__all__ = ["create_app"]
