"""thg: the Talking Head Generation knowledge base (records, validator, site, citation export)."""

__version__ = "0.1.0"
