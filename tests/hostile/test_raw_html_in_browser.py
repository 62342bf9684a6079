"""Known sanitizer bypasses, pasted as raw HTML, opened in headless Chromium: no dialog opens,
and no event handler, srcdoc or script address is left in the DOM (svg and math included).

The site is built without the theme's Content-Security-Policy (`html: {csp: ""}`): the policy
would block most of these on its own, and this tests the cleaner. A control page, written
around the cleaner, shows that the harness sees a dialog when there is one.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest

from tests.conftest import Site, article
from tests.quality.conftest import CHROMIUM, CHROMIUM_ARGS

FRAME_HOST = "video.example"  # listed; never resolves, so the frame fails to load at once

SNIPPETS = [
    # the four
    '<iframe srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;"></iframe>',
    '<!--><img src=x onerror="alert(2)">-->',
    '<!---><img src=x onerror="alert(3)">-->',
    '<![CDATA[><img src=x onerror="alert(4)">]]>',
    # comments, processing instructions, declarations
    '<!-- --!><img src=x onerror="alert(5)">-->',
    '<?xml ><img src=x onerror="alert(6)">?>',
    '<!DOCTYPE x><img src=x onerror="alert(7)">',
    '<!--<img src="--><img src=x onerror=alert(8)//">',
    # raw text elements: a browser ends them at their own end tag only
    '<noscript><p title="</noscript><img src=x onerror=alert(9)>">',
    '<xmp><p title="</xmp><img src=x onerror=alert(10)>">',
    '<textarea><p title="</textarea><img src=x onerror=alert(11)>">',
    '<style><p title="</style><img src=x onerror=alert(12)>">',
    '<title><p title="</title><img src=x onerror=alert(13)>">',
    '<noembed><p title="</noembed><img src=x onerror=alert(14)>">',
    '<iframe><p title="</iframe><img src=x onerror=alert(15)>">',
    # namespace confusion in svg and math
    '<svg></p><style><a id="</style><img src=1 onerror=alert(16)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(17)>",
    "<math><mi><xmp></mi><img src=x onerror=alert(18)></xmp>",
    "<svg><foreignObject><img src=x onerror=alert(19)></foreignObject></svg>",
    '<svg><animate onbegin="alert(20)" attributeName="x" dur="1s"/></svg>',
    '<svg><set attributeName="onmouseover" to="alert(21)"/></svg>',
    '<svg><a xlink:href="javascript:alert(22)"><text x="20" y="20">x</text></a></svg>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(23)">x</maction></math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(24)>",
    # addresses: entities, whitespace, other schemes
    '<a href="&#106;avascript:alert(25)">a</a>',
    '<a href="jav&#x09;ascript:alert(26)">a</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(27)">a</a>',
    '<a href=" javascript:alert(28)">a</a>',
    '<a href="javascript&colon;alert(29)">a</a>',
    '<a href="vbscript:msgbox(30)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgzMSk8L3NjcmlwdD4=">a</a>',
    '<iframe src="javascript:alert(32)"></iframe>',
    # srcdoc, formaction, focus, toggle
    f'<iframe src="https://{FRAME_HOST}/e" srcdoc="<script>parent.alert(33)</script>"></iframe>',
    '<form><button formaction="javascript:alert(34)">x</button></form>',
    '<input autofocus onfocus="alert(35)">',
    '<a id="x" tabindex="1" onfocus="alert(36)" autofocus>x</a>',
    '<details open ontoggle="alert(37)"><summary>x</summary></details>',
    # elements that load or run things
    "<script>alert(38)</script>",
    '<object data="javascript:alert(39)"></object>',
    '<embed src="javascript:alert(40)">',
    '<base href="javascript:alert(41)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(42)">',
    '<body onload="alert(43)">',
    '<video><source onerror="alert(44)"></video>',
    "<scr<script>ipt>alert(45)</script>",
    "<<img src=x onerror=alert(46)>>",
    "<img src=x onerror=alert(47)//",
    "<template><img src=x onerror=alert(48)></template>",
]

CONFIG = f"""\
title: Bỏ qua bộ lọc
base_url: https://example.org/
language: vi
sections:
  - {{key: tin, title: Tin}}
html:
  iframe_hosts: [{FRAME_HOST}]
  csp: ""
"""

# Every attribute of every element (svg and math too) a browser could run as script.
FIND_SCRIPT = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc') found.push(`<${el.localName} ${name}>`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name)
          && /^(javascript|vbscript|data:text\\/html)/.test(value)) {
        found.push(`<${el.localName} ${name}=${attr.value}>`);
      }
    }
  }
  for (const script of document.scripts) {
    if (script.type !== 'application/ld+json') found.push(script.outerHTML);
  }
  return found;
}"""


def body_with(snippet: str) -> str:
    """The snippet as a block of its own, then inside a paragraph."""
    return f"Mở đầu bài viết.\n\n{snippet}\n\nCâu có {snippet} ở giữa.\n"


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("bypass") / "site")
    site.write("config.yaml", CONFIG)
    for number, snippet in enumerate(SNIPPETS, start=1):
        source = article(f"Bài {number}", section="tin", slug=f"b{number}", body=body_with(snippet))
        site.write(f"content/tin/b{number}.md", source)
    assert site.build("--no-cache") == 0
    # The control: what the cleaner would have to let through for a dialog to open.
    site.write(
        "public/control.html", '<!DOCTYPE html><title>c</title><img src=x onerror="alert(0)">'
    )
    return site


@pytest.fixture(scope="module")
def served(corpus_site: Site) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(corpus_site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


class Tab:
    """One Chromium tab that records every dialog any page opens in it."""

    def __init__(self, page: object):
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def visit(self, url: str) -> tuple[list[str], list[str]]:
        """(dialogs opened, script left in the DOM) of the page at `url`."""
        self.dialogs.clear()
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(150)  # handlers of failed images and of focus run after load
        found = self.page.evaluate(FIND_SCRIPT)
        self.page.goto("about:blank")  # handlers still pending belong to the page just seen
        return list(self.dialogs), found


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield Tab(browser.new_page())
        browser.close()


def test_the_harness_sees_a_dialog(tab, served):
    dialogs, found = tab.visit(f"{served}/control.html")
    assert dialogs == ["0"] and found == ["<img onerror>"]


@pytest.mark.parametrize("number", range(1, len(SNIPPETS) + 1))
def test_a_bypass_runs_no_script_in_chromium(tab, served, corpus_site, number):
    page_path = f"/tin/b{number}/"
    assert corpus_site.html(page_path).select_one(".article-body") is not None
    dialogs, found = tab.visit(served + page_path)
    assert (dialogs, found) == ([], []), SNIPPETS[number - 1]
