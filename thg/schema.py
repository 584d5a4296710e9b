"""JSON Schemas for editors, generated from the pydantic models plus the vocabularies.

The files in `schema/` are generated, committed (so a YAML language server can use them from a
checkout) and checked for staleness by the test suite. Regenerate with `thg schema`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from thg.models import FACETS, KINDS
from thg.taxonomy import Taxonomy

SCHEMA_VERSION = "1"
SCHEMA_DIR = "schema"


def build_schema(kind: str, taxonomy: Taxonomy) -> dict[str, Any]:
    schema = KINDS[kind].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://thg.example/schema/v{SCHEMA_VERSION}/{kind}.schema.json"
    if kind == "paper":
        tags = schema["$defs"]["Tags"]["properties"]
        for facet in FACETS:
            terms = taxonomy.writable_terms(facet)
            tags[facet]["items"] = {"enum": terms, "type": "string"}
            tags[facet]["description"] = taxonomy.facets[facet].description
        schema["properties"]["venue"] = {
            "title": "Venue",
            "description": "Normalised venue name from venues.yaml",
            "enum": sorted(taxonomy.venues),
            "type": "string",
        }
    return schema


def render_schema(kind: str, taxonomy: Taxonomy) -> str:
    return json.dumps(build_schema(kind, taxonomy), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(root: Path, taxonomy: Taxonomy) -> list[Path]:
    out = root / SCHEMA_DIR
    out.mkdir(exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / f"{kind}.schema.json"
        text = render_schema(kind, taxonomy)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
