"""One function per metric, each documented with its formula and the source it follows.

Full-reference metrics take two RGB uint8 frames (generated, reference); no-reference metrics take one.
Landmark metrics take (68, 2) landmark arrays. `thg.eval.catalog` names each variant and wires it up.
"""
