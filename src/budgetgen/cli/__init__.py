"""Command line: a thin layer over the library, every message in Chinese."""

import gc

# A command runs once and ends. Python's cyclic collector would otherwise walk every object the
# imports made, again and again while importing and once more when the process ends (together
# about a tenth of a small build's CPU): it is paused while importing, and what exists when a
# command starts or ends is frozen (gc.freeze) rather than searched for cycles.
_collecting = gc.isenabled()
gc.disable()
try:
    from .commands import app
finally:
    if _collecting:
        gc.enable()


def main() -> None:  # console entry point (pyproject [project.scripts])
    gc.freeze()
    try:
        app()
    finally:
        gc.freeze()


__all__ = ["app", "main"]
