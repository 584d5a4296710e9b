"""The one exception bad evaluation input becomes: a sentence naming the file and what to do."""

from __future__ import annotations


class EvalError(Exception):
    """Input that cannot be evaluated (unreadable file, no audio, mismatched videos, no face...).

    `thg eval` prints the message and exits 1; a traceback is always a bug in thg.
    """


def require(module: str, extra: str = "eval") -> None:
    """Fail with an install hint when an optional dependency is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise EvalError(f"the Python package {module!r} is not installed; install the extra with "
                        f"pip install -e '.[{extra}]'")
