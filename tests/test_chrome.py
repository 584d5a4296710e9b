"""The skeleton record pages share (thg/site/chrome.py): what a page loses is exactly what its folder's script
writes back, and markup the sharing does not expect (a Material upgrade) stops the build with ChromeError."""

from __future__ import annotations

import json

import pytest

from thg.site.chrome import PARTS, ChromeError, SharedChrome, call, squeeze

SCOPE = '<script>__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e),0)</script>'
BLOCKS = {
    "header": '<header class="md-header"><div class="md-header__topic" data-md-component="header-topic">'
              '<span class="md-ellipsis">{title}</span></div><script>var palette=1</script></header>',
    "tabs": '<nav class="md-tabs"><a href="../..">Home</a></nav>',
    "nav": '<div class="md-sidebar">drawer</div>',
    "footer": '<footer class="md-footer">footer</footer>',
    "config": '<script id="__config" type="application/json">{"base":"../.."}</script>',
}
NOSCRIPT = '<noscript><p class="md-typeset"><a href="../..">thg</a></p></noscript>'


def material_page(title: str, skip: str = "", scope: str = SCOPE, content_open: str = "") -> str:
    """A record page as Material and overrides/main.html render it, the shared blocks already calls."""
    content_open = content_open or '<div class="md-content" data-md-component="content">'
    return squeeze(f"""<!doctype html>
<html lang="en" class="no-js">
<head>
<title>{title} - thg</title>
<link rel="stylesheet" href="../../assets/thg/thg.css">
{scope}
<script src="../../assets/thg/chrome/papers.js" data-title="{title}"></script>
<meta name="citation_title" content="{title}">
</head>
<body dir="ltr">
<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
<div data-md-component="skip">{skip}</div>
{call("header")}
{NOSCRIPT}
<div class="md-container" data-md-component="container">
{call("tabs")}
<main class="md-main" data-md-component="main">
<div class="md-main__inner md-grid">
{call("nav")}
{content_open}
<article class="md-content__inner md-typeset">
<h1>{title}</h1>
</article>
</div>
<script>var target=document.getElementById(location.hash.slice(1))</script>
</div>
<button type="button" class="md-top md-icon" data-md-component="top" hidden>Back to top</button>
</main>
{call("footer")}
</div>
<div class="md-dialog" data-md-component="dialog"></div>
{call("config")}
<script src="../../assets/javascripts/bundle.min.js"></script>
</body>
</html>
""")


def shared_with_blocks(folder: str = "papers") -> SharedChrome:
    shared = SharedChrome()
    for part in PARTS:
        shared.put(part, folder, BLOCKS[part].replace("{title}", "First"))
    return shared


def written_back(slim: str, script: str, title: str) -> str:
    """What the parser reads once thg/assets/chrome.js has run: Material's head script where the loader stood,
    each call replaced by its part (the loader and the calls remove themselves from the document)."""
    data = json.loads(script[script.rindex("thgChromeStart(") + len("thgChromeStart("):script.rindex(");")])
    scope: str = data["scope"]
    start: list[str] = data["start"]
    end: str = data["end"]
    head, loader, rest = slim.partition(f'<script src="../../assets/thg/chrome/papers.js" data-title="{title}"></script>')
    assert loader, "the page loads its folder's script in its head"
    page = head + scope + rest
    page = page.replace(call("start") + "\n" + NOSCRIPT + "\n", title.join(start))
    return page.replace(call("end"), end)


def test_a_page_loses_exactly_what_its_folder_script_writes_back() -> None:
    shared = shared_with_blocks()
    pages = {title: material_page(title) for title in ("First", "Second & Third")}
    slim = {title: shared.slim(page, "papers", f"papers/{title}.md") for title, page in pages.items()}
    script = shared.files()["assets/thg/chrome/papers.js"]
    for title, page in pages.items():
        assert len(slim[title]) < len(page) - 500
        assert SCOPE not in slim[title] and "md-dialog" not in slim[title] and "bundle.min.js" not in slim[title]
        assert NOSCRIPT in slim[title] and f"<h1>{title}</h1>" in slim[title]
        expected = page.replace(NOSCRIPT + "\n", "")
        for part in PARTS:
            expected = expected.replace(call(part), BLOCKS[part].replace("{title}", title))
        loader = f'<script src="../../assets/thg/chrome/papers.js" data-title="{title}"></script>\n'
        assert written_back(slim[title], script, title) == expected.replace(loader, "")


@pytest.mark.parametrize(("page", "missing"), [
    (material_page("First", scope="<script>var other=1</script>"), "__md_scope"),
    (material_page("First", content_open='<div class="md-content md-content--new">'), "md-content"),
    (material_page("First").replace(NOSCRIPT, ""), "noscript"),
    (material_page("First").replace("<body dir=\"ltr\">", "<body dir=\"ltr\" hidden>").replace("<body", "<bod"), "body"),
])
def test_unexpected_material_markup_stops_the_build(page: str, missing: str) -> None:
    with pytest.raises(ChromeError, match=f"(?s){missing}.*THG_SHARED_CHROME=0"):
        shared_with_blocks().slim(page, "papers", "papers/first.md")


def test_pages_of_a_folder_with_different_skeletons_stop_the_build() -> None:
    shared = shared_with_blocks()
    shared.slim(material_page("First"), "papers", "papers/first.md")
    with pytest.raises(ChromeError, match=r"papers/second\.md and papers/first\.md.*\(start\)"):
        shared.slim(material_page("Second", skip='<a href="#intro" class="md-skip">Skip</a>'), "papers",
                    "papers/second.md")


def test_a_header_without_its_title_or_a_lost_call_stops_the_build() -> None:
    with pytest.raises(ChromeError, match="header-topic"):
        SharedChrome().put("header", "papers", "<header>no topic</header>")
    shared = shared_with_blocks()
    shared.slim(material_page("First").replace(call("tabs"), ""), "papers", "papers/first.md")
    with pytest.raises(ChromeError, match="tabs 0 times"):
        shared.files()
