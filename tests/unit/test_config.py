from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sitegen.config import Banner, SectionConfig, load_config
from sitegen.errors import BuildFailed, ConfigError

MINIMAL = "title: Ban Tổ chức\nbase_url: https://example.org/\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def failures(tmp_path: Path, text: str, base_url: str | None = None) -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        load_config(write(tmp_path, text), base_url)
    assert all(isinstance(e, ConfigError) for e in caught.value.errors)
    return [str(e) for e in caught.value.errors]


def test_defaults_fill_every_optional_key(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.root == tmp_path.resolve()
    assert config.title == "Ban Tổ chức"
    assert config.base_url == "https://example.org/"
    assert config.language == "vi"
    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert config.banner == Banner("Ban Tổ chức")
    assert config.sections == ()
    assert (config.per_page, config.related_count, config.output_dir) == (20, 8, "public")
    assert config.params == {}
    assert config.base_path == "/"
    assert config.content_dir == tmp_path.resolve() / "content"


def test_every_key_is_read(tmp_path):
    config = load_config(
        write(
            tmp_path,
            """\
        title: Ban Tổ chức Tỉnh ủy
        base_url: https://example.org/
        language: en
        timezone: Europe/London
        banner: {title: Banner title, image: /images/banner.jpg}
        sections:
          - {key: tin-hoat-dong, title: Tin hoạt động, description: Hoạt động}
          - Xây dựng Đảng
        per_page: 5
        related_count: 3
        output_dir: dist
        params: {hotline: "0123"}
        """,
        )
    )
    assert config.language == "en"
    assert config.timezone == "Europe/London"
    assert config.banner == Banner("Banner title", "/images/banner.jpg")
    assert config.sections == (
        SectionConfig("tin-hoat-dong", "Tin hoạt động", "Hoạt động"),
        SectionConfig("xay-dung-dang", "Xây dựng Đảng", ""),
    )
    assert (config.per_page, config.related_count, config.output_dir) == (5, 3, "dist")
    assert config.params == {"hotline": "0123"}


@pytest.mark.parametrize(
    ("given", "base_url", "base_path"),
    [
        ("https://example.org", "https://example.org/", "/"),
        ("https://example.org/", "https://example.org/", "/"),
        ("https://example.org/tinh-uy", "https://example.org/tinh-uy/", "/tinh-uy/"),
        ("https://example.org/tinh-uy/", "https://example.org/tinh-uy/", "/tinh-uy/"),
        ("http://localhost:8000/a/b", "http://localhost:8000/a/b/", "/a/b/"),
    ],
)
def test_base_url_gets_a_trailing_slash_and_gives_the_base_path(
    tmp_path, given, base_url, base_path
):
    config = load_config(write(tmp_path, f"title: T\nbase_url: {given}\n"))
    assert config.base_url == base_url
    assert config.base_path == base_path


def test_base_url_override_from_the_command_line(tmp_path):
    config = load_config(write(tmp_path, MINIMAL), "https://preview.example.org/pr-12")
    assert config.base_url == "https://preview.example.org/pr-12/"
    assert config.base_path == "/pr-12/"


def test_bad_base_url_override_is_an_error(tmp_path):
    errors = failures(tmp_path, MINIMAL, "preview")
    assert len(errors) == 1 and "--base-url" in errors[0]


def test_every_bad_value_is_reported_together_with_its_line(tmp_path):
    errors = failures(
        tmp_path,
        """\
        title: T
        base_url: ftp://example.org
        language: xx-nowhere
        timezone: Mars/Olympus
        per_page: 0
        related_count: "8"
        output_dir: [a]
        params: [1, 2]
        banner: just text
        sections: tin
        """,
    )
    assert [e.split(": ", 1)[0] for e in errors] == [f"config.yaml:{n}" for n in range(2, 11)]
    joined = "\n".join(errors)
    for fragment in [
        "base_url must be an absolute http(s) address",
        "unknown language 'xx-nowhere'",
        "unknown timezone 'Mars/Olympus'",
        "'per_page' must be a whole number",
        "'related_count' must be a whole number",
        "'output_dir' must be text",
        "'params' must be a mapping",
        "'banner' takes 'title' and 'image'",
        "'sections' must be a list",
    ]:
        assert fragment in joined


def test_unknown_key_suggests_the_nearest_known_key_at_its_line(tmp_path):
    errors = failures(tmp_path, "title: T\nbase_url: https://example.org/\nrelated_cout: 3\n")
    assert errors == ["config.yaml:3: unknown key 'related_cout': did you mean 'related_count'?"]


def test_misspelt_title_suggests_title(tmp_path):
    errors = failures(tmp_path, "titel: T\nbase_url: https://example.org/\n")
    assert "config.yaml:1: unknown key 'titel': did you mean 'title'?" in errors
    assert any("'title' is required" in e for e in errors)


def test_unrelated_unknown_key_lists_the_known_keys(tmp_path):
    errors = failures(tmp_path, MINIMAL + "zzzzzz: 1\n")
    assert len(errors) == 1
    assert errors[0].startswith(
        "config.yaml:3: unknown key 'zzzzzz': known keys: title, base_url, "
    )


@pytest.mark.parametrize("missing", ["title", "base_url"])
def test_title_and_base_url_are_required(tmp_path, missing):
    text = "\n".join(line for line in MINIMAL.splitlines() if not line.startswith(missing + ":"))
    errors = failures(tmp_path, text + "\n")
    assert len(errors) == 1
    assert f"'{missing}' is required" in errors[0]


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(BuildFailed) as caught:
        load_config(tmp_path / "config.yaml")
    assert str(caught.value.errors[0]).startswith("config.yaml: no config.yaml in ")


def test_empty_config_file_is_an_error(tmp_path):
    errors = failures(tmp_path, "")
    assert errors == ["config.yaml:1: is empty: it needs at least 'title:' and 'base_url:'"]


def test_config_yaml_syntax_error_has_line(tmp_path):
    errors = failures(tmp_path, "title: T\nbase_url: https://example.org/\nlanguage: vi: en\n")
    assert len(errors) == 1 and errors[0].startswith("config.yaml:3:")


def test_config_duplicate_key_is_an_error(tmp_path):
    errors = failures(tmp_path, MINIMAL + "title: Again\n")
    assert errors == ["config.yaml:3:1: key 'title' is given twice (first on line 1): keep one"]


def test_config_not_utf8_is_an_error(tmp_path):
    (tmp_path / "config.yaml").write_bytes(
        "title: Ban Tô chưc\nbase_url: https://example.org/\n".encode("cp1258")
    )
    with pytest.raises(BuildFailed) as caught:
        load_config(tmp_path / "config.yaml")
    assert "not UTF-8" in str(caught.value)


def test_config_with_bom_and_crlf_is_accepted(tmp_path):
    (tmp_path / "config.yaml").write_bytes(
        b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode("utf-8")
    )
    config = load_config(tmp_path / "config.yaml")
    assert config.title == "Ban Tổ chức"


@pytest.mark.parametrize(
    ("sections", "fragment"),
    [
        ("[{key: Bad Key, title: X}]", "section key 'Bad Key' must be lowercase"),
        ("[{key: tags, title: X}]", "section key 'tags'"),
        ("[{key: a, title: A}, {key: a, title: B}]", "section key 'a' is listed twice"),
        ("[{key: a, title: A, colour: red}]", "unknown field(s) colour"),
        ("[[1]]", "section 1 must have a 'key' and a 'title'"),
    ],
)
def test_bad_sections_are_refused(tmp_path, sections, fragment):
    errors = failures(tmp_path, MINIMAL + f"sections: {sections}\n")
    assert len(errors) == 1
    assert errors[0].startswith("config.yaml:3: ")
    assert fragment in errors[0]


def test_config_is_frozen(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    with pytest.raises(AttributeError):
        config.title = "Other"  # type: ignore[misc]
