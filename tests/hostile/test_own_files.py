"""A site's own files win over the defaults sitegen writes; two pages at one path stay an error."""

from __future__ import annotations

from tests.conftest import BASE_CONFIG
from tests.invalid.conftest import Expected

OWN_ROBOTS = "User-agent: *\nDisallow: /tai-lieu-noi-bo/\n"
ROBOTS_TEMPLATE = (
    "# {{ site.title }}\n"
    "User-agent: *\n"
    "Disallow: /tim-kiem/\n"
    "{% for section in site.sections %}Allow: {{ section.url }}\n{% endfor %}\n\n"
    "Sitemap: {{ sitemap_url }}\n"
)
RENDERED_ROBOTS = (
    "# Ban Tổ chức & Ban Tuyên giáo\n"  # a text file: nothing is escaped as in HTML
    "User-agent: *\n"
    "Disallow: /tim-kiem/\n"
    "Allow: /tin-hoat-dong/\n"
    "Allow: /xay-dung-dang/\n"
    "\n"
    "Sitemap: https://example.org/sitemap.xml\n"
)
AMPERSAND_TITLE = BASE_CONFIG.replace(
    "title: Ban Tổ chức Tỉnh ủy", "title: Ban Tổ chức & Ban Tuyên giáo"
)


def robots(site) -> str:
    return (site.output / "robots.txt").read_text(encoding="utf-8")


def test_the_default_robots_txt_allows_everything_and_names_the_sitemap(probe_site):
    site, _ = probe_site({})
    assert robots(site) == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"


def test_static_robots_txt_is_published_instead_of_the_generated_one(probe_site):
    site, report = probe_site({"static/robots.txt": OWN_ROBOTS})
    assert robots(site) == OWN_ROBOTS
    assert not [line for line in report.lines if "robots" in line]  # silently: no warning


def test_robots_txt_beside_the_articles_is_published_too(probe_site):
    site, _ = probe_site({"content/robots.txt": OWN_ROBOTS})
    assert robots(site) == OWN_ROBOTS


def test_layouts_robots_txt_is_rendered_with_the_site_and_its_sitemap_url(probe_site):
    site, _ = probe_site({"layouts/robots.txt": ROBOTS_TEMPLATE}, config=AMPERSAND_TITLE)
    assert robots(site) == RENDERED_ROBOTS


def test_static_robots_txt_wins_over_a_robots_template(probe_site):
    site, _ = probe_site({"layouts/robots.txt": ROBOTS_TEMPLATE, "static/robots.txt": OWN_ROBOTS})
    assert robots(site) == OWN_ROBOTS


def test_removing_the_sites_robots_txt_brings_the_generated_one_back(probe_site):
    site, _ = probe_site({"static/robots.txt": OWN_ROBOTS})
    (site.root / "static/robots.txt").unlink()
    assert site.build() == 0
    assert robots(site).startswith("User-agent: *\nAllow: /\n")


def test_error_in_the_robots_template_names_its_file_and_line(breaker):
    breaker.fails(
        {"layouts/robots.txt": "User-agent: *\n\nSitemap: {{ sitemap_link }}\n"},
        [Expected("layouts/robots.txt", 3, "'sitemap_link' is undefined")],
    )


def test_static_file_at_the_sitemap_path_is_still_a_conflict(breaker):
    breaker.fails(
        {"static/sitemap.xml": "<urlset/>"},
        [Expected("static/sitemap.xml", None, "would be written to sitemap.xml, like the sitemap")],
    )


def test_static_file_at_a_section_page_is_still_a_conflict_naming_both(breaker):
    own = "static/tin-hoat-dong/index.html"
    breaker.fails(
        {own: "<p>trang riêng</p>"},
        [Expected(own, None, "tin-hoat-dong/index.html, like the section page /tin-hoat-dong/")],
    )
