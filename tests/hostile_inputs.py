"""The hostile-input suite: one input per class of attack a stranger's pull request could carry.

Each case is a set of files dropped into the `mini` fixture tree and the exact `thg validate` output it
must produce (an empty list: the input is valid and must come out of every export intact). The tests in
`test_hostile.py` check the messages; `bench/hostile_speed.py` times `thg validate` on every case (no input
under the size cap may take more than 2 s), since timings never go in pass/fail tests.

Large inputs (30,000 nested brackets, 19,000 ids) are generated here rather than committed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

SUMMARY = "A fictional record written the way a hostile pull request would write it, for the test suite."
TAGS = "{driving: [audio], identity: [single-image], output: [2d-video], architecture: [gan], task: [lip-sync]}"


def paper(record_id: str, *, title: str = '"A Distinct Title For {id}"', authors: str = "[Test Author]",
          year: str = "2022", venue: str = "arXiv", kind: str = "preprint", arxiv: str | None = None,
          links: str = "{}", datasets: str = "[]", extra: str = "") -> str:
    """A paper record with one field per line, so expected messages can name their lines:
    1 id, 2 title, 3 authors, 4 year, 5 venue, 6 type, 7 arxiv, 8 links, 9 tags, 10 datasets, 11 summary,
    12 and on: `extra`."""
    arxiv = arxiv or f'"2201.{zlib.crc32(record_id.encode()) % 90000 + 10000:05d}"'
    return (f"id: {record_id}\ntitle: {title.replace('{id}', record_id)}\nauthors: {authors}\nyear: {year}\n"
            f"venue: {venue}\ntype: {kind}\narxiv: {arxiv}\nlinks: {links}\ntags: {TAGS}\ndatasets: {datasets}\n"
            f"summary: {SUMMARY}\n{extra}")


def results(method: str = "Some Method", values: str = "{score-up: 0.5}", protocol: str = "{setting: one-shot}") -> str:
    """A results block (lines 12-18; the row's values on line 18) on dataset set-one."""
    return (f"results:\n  - id: main\n    table: Table 1\n    source: https://example.org/t1\n    dataset: set-one\n"
            f"    protocol: {protocol}\n    rows:\n      - {{method: {method!s}, values: {values}}}\n")


@dataclass(frozen=True)
class Hostile:
    """One class of hostile input: the files it adds and the exact problems `thg validate` reports."""

    name: str
    what: str
    files: dict[str, str | bytes]
    expected: list[str] = field(default_factory=list)
    symlinks: dict[str, str] = field(default_factory=dict)
    """Link path (in the tree) -> what it points to."""


def _too_large(where: str, shown: str, characters: int) -> str:
    """The exact problem for an integer literal past 15 digits at `where` (path:line: field)."""
    return (f"{where}: the integer {shown} is too large for a record ({characters} characters) "
            "(integers in records have at most 15 digits; write identifiers as quoted text)")


def _holds(where: str, character: str) -> str:
    """The exact problem for a control character inside a value at `where` (path:line: field)."""
    return f"{where}: holds the control character {character} (delete it: records hold printable text only)"


def _near_miss_ids(count: int, stem: str = "alpha-talker-") -> str:
    return "[" + ", ".join(f"{stem}{i}" for i in range(count)) + "]"


def cases() -> list[Hostile]:
    """Every class, in the order of issue 15."""
    deep = "papers/deep-brackets.yaml"
    return [
        Hostile("unbalanced-braces", "a title and a name with lone braces and backslashes (BibTeX lost every entry after one)",
                {"papers/lone-brace.yaml": paper("lone-brace", title=r'"Lone { brace, lone } brace and a \\ backslash \\{"',
                                                 authors=r'["Ann {Smith", "Bob } Jones", "C \\ D"]', links="{}")}),
        Hostile("nested-brackets", "30,000 nested [ in 60 KB (libyaml overflowed its stack: exit 139)",
                {deep: "id: deep-brackets\ntitle: " + "[" * 30_000 + "\n"},
                [f"{deep}:2: (file): values nest more than 100 levels deep "
                 "(a record nests a few levels: check the brackets and indentation)"]),
        Hostile("nested-mappings", "{a: nested 25,000 deep",
                {"papers/deep-mappings.yaml": "id: deep-mappings\nnotes: " + "{a: " * 25_000 + "\n"},
                ["papers/deep-mappings.yaml:2: (file): values nest more than 100 levels deep "
                 "(a record nests a few levels: check the brackets and indentation)"]),
        Hostile("nested-block-sequences", "- - - ... 30,000 block sequences on one line",
                {"papers/deep-dashes.yaml": "id: deep-dashes\nauthors:\n  " + "- " * 30_000 + "x\n"},
                ["papers/deep-dashes.yaml:3: (file): values nest more than 100 levels deep "
                 "(a record nests a few levels: check the brackets and indentation)"]),
        Hostile("long-integer", "a 4,301-digit year (Python cannot convert it: validate crashed)",
                {"papers/long-year.yaml": paper("long-year", year="9" * 4301)},
                [_too_large("papers/long-year.yaml:4: year", "999999999999...999999", 4301)]),
        Hostile("hex-integer", "a 4,000-digit hex integer in a protocol (validate passed, build crashed on printing it)",
                {"papers/hex-clips.yaml": paper("hex-clips", datasets="[set-one]",
                                                extra=results(protocol="{test_clips: 0x" + "f" * 4000 + "}"))},
                [_too_large("papers/hex-clips.yaml:17: results[0].protocol.test_clips", "0xffffffffff...ffffff", 4002)]),
        Hostile("huge-result-value", "a 401-digit result value (OverflowError when compared)",
                {"papers/huge-value.yaml": paper("huge-value", datasets="[set-one]",
                                                 extra=results(values="{score-up: " + "7" * 401 + "}"))},
                [_too_large("papers/huge-value.yaml:19: results[0].rows[0].values.score-up", "777777777777...777777",
                            401)]),
        Hostile("non-finite-values", ".inf, .nan and 1e999 as results (inf was marked best, nan hid a column's best)",
                {"papers/non-finite.yaml": paper("non-finite", datasets="[set-one]", extra=(
                    "results:\n  - id: main\n    table: Table 1\n    source: https://example.org/t1\n"
                    "    dataset: set-one\n    protocol: {setting: one-shot}\n    rows:\n"
                    "      - {method: A, values: {score-up: .inf}}\n"
                    "      - {method: B, values: {score-up: .nan}}\n"
                    "      - {method: C, values: {score-up: 1e999}}\n"
                    "      - {method: D, values: {score-up: \"" + "1" * 401 + "\"}}\n"))},
                ["papers/non-finite.yaml:19: results[0].rows[0].values.score-up: inf is not a finite number; write "
                 "the number as printed, e.g. 0.83",
                 "papers/non-finite.yaml:20: results[0].rows[1].values.score-up: nan is not a finite number; write "
                 "the number as printed, e.g. 0.83",
                 "papers/non-finite.yaml:21: results[0].rows[2].values: value for 'score-up' is '1e999'; write a "
                 "finite number as printed (e.g. 0.83), or null",
                 "papers/non-finite.yaml:22: results[0].rows[3].values: value for 'score-up' is '"
                 + "1" * 401 + "'; write a finite number as printed (e.g. 0.83), or null"]),
        Hostile("spreadsheet-formulas", "cells starting with = + - @ in names (they reached the CSV downloads raw)",
                {"papers/formulas.yaml": paper("formulas", title='"=HYPERLINK(\\"https://evil.example\\",\\"x\\")"',
                                               datasets="[set-one]", extra=(
                    "short_name: \"@SUM(1+1)\"\nmetrics: [score-up]\n"
                    "results:\n  - id: main\n    table: \"+Table 1\"\n    source: https://example.org/t1\n"
                    "    dataset: set-one\n    split: \"-test\"\n    protocol: {setting: \"=cmd|' /C calc'!A0\"}\n"
                    "    rows:\n      - {method: \"=1+1\", values: {score-up: 0.25}}\n"
                    "      - {method: \"@A1\", values: {score-up: 0.5}}\n"))}),
        Hostile("reserved-id", "a record with id index (it replaced the section's index page)",
                {"papers/index.yaml": paper("index")},
                ["papers/index.yaml:1: id: id 'index' is reserved: the site uses it for the section's own page"]),
        Hostile("escaped-control-character", "ESC written as \\e in a quoted title (reached HTML, BibTeX, RIS, terminal)",
                {"papers/escape-title.yaml": paper("escape-title", title='"Red \\e[31m title"')},
                [_holds("papers/escape-title.yaml:2: title", "U+001B (escape)")]),
        Hostile("raw-nul-byte", "a raw NUL byte on line 3 (reported on line 1)",
                {"papers/nul-byte.yaml": paper("nul-byte", authors="[Ann\x00 Smith]").encode("utf-8")},
                ["papers/nul-byte.yaml:3: (file): column 14 holds the control character U+0000 (null) "
                 "(delete it: records hold printable text only)"]),
        Hostile("bidi-override", "a right-to-left override in an author (reorders what readers see)",
                {"papers/bidi.yaml": paper("bidi", authors='["Ann \\u202eevil"]')},
                [_holds("papers/bidi.yaml:3: authors[0]", "U+202E (right-to-left override)")]),
        Hostile("line-break-in-author", '"A\\nand B" as one author (BibTeX read two authors)',
                {"papers/two-in-one.yaml": paper("two-in-one", authors='["Ann Smith\\nand Bob Jones"]')},
                ["papers/two-in-one.yaml:3: authors[0]: holds a line break "
                 "(a single line of text: join the lines with a space)"]),
        Hostile("symlinked-record", "a record that is a symbolic link to /etc/passwd (it was followed)",
                {}, ["papers/passwd.yaml:1: (file): is a symbolic link; records are never read through links "
                     "(commit the record itself in place of the link)"],
                symlinks={"papers/passwd.yaml": "/etc/passwd"}),
        Hostile("blank-text", "a whitespace-only title and a blank author",
                {"papers/blank.yaml": paper("blank", title='"   "', authors='[Ann Smith, " "]')},
                ["papers/blank.yaml:2: title: is blank (write the text, or leave the field out)",
                 "papers/blank.yaml:3: authors[1]: is blank (write the text, or leave the field out)"]),
        Hostile("duplicate-author", "the same author twice",
                {"papers/twice.yaml": paper("twice", authors="[Ann Smith, Bob Jones, ann  smith]")},
                ["papers/twice.yaml:3: authors: author 'ann  smith' is listed twice; list each author once"]),
        Hostile("url-userinfo", "https://github.com@evil.example/ as the code link (the host is evil.example)",
                {"papers/userinfo.yaml": paper("userinfo", links="{code: 'https://github.com@evil.example/repo'}")},
                ["papers/userinfo.yaml:8: links.code: 'https://github.com@evil.example/repo' names 'github.com' "
                 "before '@', so the link opens evil.example, not github.com "
                 "(write the address without user@ before the host)"]),
        Hostile("too-many-ids", "19,000 near-miss builds_on ids in 207 KB (30 s of 'did you mean')",
                {"papers/many-ids.yaml": paper("many-ids", extra=f"builds_on: {_near_miss_ids(19_000, 'alpha')}\n")},
                ["papers/many-ids.yaml:12: builds_on: lists 19000 entries, more than the 100 a record may hold "
                 "(keep the entries the source states)"]),
        Hostile("many-unknown-ids", "100 near-miss ids, the most a list may hold: 20 hints per file, then none",
                {"papers/near-misses.yaml": paper("near-misses", extra=f"builds_on: {_near_miss_ids(100)}\n")},
                [f"papers/near-misses.yaml:12: builds_on[{i}]: no paper record has id 'alpha-talker-{i}' "
                 f"({'did you mean alpha-talker?' if i < 20 else 'check the spelling'} "
                 f"(or add papers/alpha-talker-{i}.yaml))" for i in sorted(range(100), key=lambda i: f"[{i}]")]),
        Hostile("type-error-hides-others", "a quoted year hid the same file's bad venue and unknown dataset",
                {"papers/hidden.yaml": paper("hidden", year='"2022"', venue="CVPR 2022", kind="conference",
                                             datasets="[no-such-set]")},
                ["papers/hidden.yaml:4: year: is the text '2022', not a number (a whole number such as 2024, "
                 "without quotes)",
                 "papers/hidden.yaml:5: venue: unknown venue 'CVPR 2022' (did you mean CVPR? (or add it to "
                 "venues.yaml))",
                 "papers/hidden.yaml:10: datasets[0]: no dataset record has id 'no-such-set' (one of: set-one, "
                 "set-two (or add datasets/no-such-set.yaml))"]),
        Hostile("impossible-date", "added: 2026-02-31 (PyYAML raised ValueError: a crash)",
                {"papers/bad-day.yaml": paper("bad-day", extra="added: 2026-02-31\n")},
                ["papers/bad-day.yaml:12: added: '2026-02-31' is not a date (a date in the form YYYY-MM-DD, "
                 "e.g. 2026-11-28)"]),
        Hostile("new-optional-fields", "the same rules on aliases, venue_source, status_checked and release",
                {"papers/new-fields.yaml": paper("new-fields", extra=(
                    "aliases: [\"Good Alias\", \"Bad\\e[1mAlias\", \"  \"]\n"
                    "venue_source: https://cvf.example@evil.example/paper\n"
                    "status_checked: 2026-13-01\n"
                    "release: {licence: \"MIT\\u202e\", weights: released, source: 'https://github.com@evil.example/x'}\n"
                    "sources: [https://example.org/a]\n"))},
                [_holds("papers/new-fields.yaml:12: aliases[1]", "U+001B (escape)"),
                 "papers/new-fields.yaml:12: aliases[2]: is blank (write the text, or leave the field out)",
                 "papers/new-fields.yaml:13: venue_source: 'https://cvf.example@evil.example/paper' names "
                 "'cvf.example' before '@', so the link opens evil.example, not cvf.example (write the address "
                 "without user@ before the host)",
                 "papers/new-fields.yaml:14: status_checked: '2026-13-01' is not a date (a date in the form "
                 "YYYY-MM-DD, e.g. 2026-12-06)",
                 _holds("papers/new-fields.yaml:15: release.licence", "U+202E (right-to-left override)"),
                 "papers/new-fields.yaml:15: release.source: 'https://github.com@evil.example/x' names 'github.com' "
                 "before '@', so the link opens evil.example, not github.com (write the address without user@ "
                 "before the host)"]),
        Hostile("explicit-tag", "notes: !!bool abc (PyYAML raised KeyError: a crash; !!timestamp nope, AttributeError)",
                {"papers/tagged.yaml": paper("tagged", extra="notes: !!bool abc\n")},
                ["papers/tagged.yaml:12: (file): YAML tags such as !!bool are not allowed in records "
                 "(write the value plainly; quote text)"]),
        Hostile("generated-key-meets-explicit", "a new record whose generated key equals an older record's bibkey "
                "(the old, untouched file was blamed)",
                {"papers/old-explicit.yaml": paper("old-explicit", title='"Talking Heads Old"',
                                                   authors="[Ada Example]", year="2023",
                                                   extra="bibkey: example2023talking\nadded: 2026-01-01\n"),
                 "papers/new-generated.yaml": paper("new-generated", title='"Talking Heads New"',
                                                    authors="[Ada Example]", year="2023")}),
        Hostile("bibkey-case", "two bibkeys that differ only in case (BibTeX treats them as one key)",
                {"papers/case-key.yaml": paper("case-key", extra="bibkey: Example2023AlphaTalker\n")},
                ["papers/case-key.yaml:12: bibkey: bibkey 'Example2023AlphaTalker' is already used by "
                 "papers/alpha-talker.yaml (use a distinct key such as Example2023AlphaTalkerb)"]),
        Hostile("escape-in-field-name", "an unknown field whose name carries a terminal escape",
                {"papers/escape-key.yaml": paper("escape-key", extra='"\\e[2Jcleared": 1\n')},
                ["papers/escape-key.yaml:12: \\x1b[2Jcleared: unknown field (allowed here: id, title, short_name, "
                 "aliases, authors, year, venue, type, arxiv, doi, url, bibkey, venue_source, status_checked, links, "
                 "release, tags, datasets, metrics, losses, builds_on, summary, results, sources, added, notes)"]),
    ]
