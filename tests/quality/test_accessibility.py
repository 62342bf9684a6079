"""axe-core finds no accessibility violations on the example site's pages, on a phone and on a
desktop, and a phone never has to scroll sideways."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quality.conftest import AXE_JS

VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 900)}


def sample_pages(output: Path) -> dict[str, str]:
    """Site paths of the pages to check: home, a section and its page 2, a tag, the 404 page,
    and article pages with a cover image, with a table and with code, if the example has them;
    in a portal also a sub-site's home. Pages are told apart by their body's kind class, so
    that a sub-site's pages (one folder deeper) are found alike."""
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(output.rglob("index.html"))}

    def of_kind(kind: str) -> list[Path]:
        return [path for path, text in texts.items() if f'<body class="kind-{kind}">' in text]

    def site_path(page: Path) -> str:
        folder = page.parent.relative_to(output).as_posix()
        return "/" if folder == "." else f"/{folder}/"

    articles = of_kind("article")
    assert articles, "the example build has no article pages"
    sections = of_kind("section")
    chosen = {"home": "/", "section": site_path(sections[0]), "404": "/404.html"}
    for kind, marker in (("article", 'class="cover"'), ("table", "<table"), ("code", "<pre")):
        found = next((path for path in articles if marker in texts[path]), articles[0])
        chosen[f"article with {kind}"] = site_path(found)
    tags = of_kind("tag")
    if tags:
        chosen["tag"] = site_path(tags[0])
    second_pages = [path for path in sections if path.parent.parent.name == "page"]
    if second_pages:
        chosen["section page 2"] = site_path(second_pages[0])
    homes = [path for path in of_kind("home") if path.parent != output]
    if homes:
        chosen["sub-site home"] = site_path(homes[0])
    # The search page with results listed (the script fills it), and a sub-site's.
    searches = [site_path(path) for path in of_kind("search")]
    if searches:
        chosen["search results"] = f"{searches[0]}?q=hoi+nghi"
        chosen["search with no results"] = f"{searches[-1]}?q=zzzz"
    return chosen


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


@pytest.fixture(scope="module", params=sorted(VIEWPORTS))
def tab(request, browser):
    """A browser tab at the viewport of the parameter ("desktop", "phone")."""
    width, height = VIEWPORTS[request.param]
    # The pages' Content-Security-Policy would refuse the axe script the test adds; it changes
    # nothing axe checks (tests/quality/test_csp.py checks the policy itself).
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.fixture(scope="module")
def phone_tab(browser):
    width, height = VIEWPORTS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


def open_page(tab, served: str, path: str) -> None:
    """Load a page with its stylesheets and images, and fail on anything but 200; a search
    page, once its script has listed the results."""
    response = tab.goto(served + path, wait_until="load")
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    if "?q=" in path:
        shown = "() => document.getElementById('search-results').dataset.searches"
        for _ in range(250):
            if tab.evaluate(shown):
                break
            tab.wait_for_timeout(20)
        else:
            raise AssertionError(f"{path}: the search script listed nothing within 5 s")


def test_pages_have_no_axe_violations(tab, served, example_output):
    failures = []
    for name, path in sample_pages(example_output).items():
        open_page(tab, served, path)
        tab.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        tab.add_script_tag(path=str(AXE_JS))
        result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        if result["violations"]:
            failures.append(
                f"{name} {path} at {tab.viewport_name}:\n{format_violations(result['violations'])}"
            )
    assert failures == [], "axe-core violations:\n" + "\n".join(failures)


def test_stylesheets_load_on_every_sampled_page(tab, served, example_output):
    """axe checks contrast with the real styles: a missing stylesheet would hide problems."""
    for path in sample_pages(example_output).values():
        open_page(tab, served, path)
        loaded = tab.evaluate(
            "() => [...document.styleSheets].filter(s => s.href).map(s => s.cssRules.length)"
        )
        assert loaded and all(count > 0 for count in loaded), f"{path}: stylesheets not loaded"


def test_phone_pages_do_not_scroll_sideways(phone_tab, served, example_output):
    wide = []
    for path in sample_pages(example_output).values():
        open_page(phone_tab, served, path)
        width = phone_tab.evaluate("() => document.documentElement.scrollWidth")
        if width > VIEWPORTS["phone"][0]:
            culprits = phone_tab.evaluate(
                """() => [...document.querySelectorAll('body *')]
                     .filter(e => e.getBoundingClientRect().right > 375.5)
                     .slice(0, 5)
                     .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
            )
            wide.append(f"{path}: scrollWidth {width} px, too wide: {culprits}")
    assert wide == [], "\n".join(wide)
