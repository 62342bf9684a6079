from __future__ import annotations

from tests.conftest import article


def test_article_page_has_title_as_only_h1(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Đảng bộ tỉnh lần thứ XIX")})
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/dang-bo-tinh-lan-thu-xix/")
    assert [h1.get_text(strip=True) for h1 in page.find_all("h1")] == ["Đảng bộ tỉnh lần thứ XIX"]
