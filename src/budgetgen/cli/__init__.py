"""Command line: a thin layer over the library, every message in Chinese."""

from .commands import app


def main() -> None:  # console entry point (pyproject [project.scripts])
    app()


__all__ = ["app", "main"]
