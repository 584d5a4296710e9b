"""Splitting 'Given Family' author strings for formats that want the parts."""

from __future__ import annotations

from thg.bibkeys import family_name


def split_name(full_name: str) -> tuple[str, str]:
    """(given, family); single-word names are all family."""
    family = family_name(full_name)
    given = full_name[: len(full_name) - len(family)].strip() if full_name.endswith(family) else ""
    return given, family or full_name
