"""Citation export: one module per format, all fed by `thg.export.select`."""

from thg.export.bibtex import to_bibtex
from thg.export.csljson import to_csljson
from thg.export.ris import to_ris

FORMATS = {"bibtex": (to_bibtex, ".bib"), "csljson": (to_csljson, ".json"), "ris": (to_ris, ".ris")}

__all__ = ["FORMATS", "to_bibtex", "to_csljson", "to_ris"]
