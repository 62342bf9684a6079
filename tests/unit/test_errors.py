from __future__ import annotations

import pickle

from sitegen.errors import (
    BuildFailed,
    ConfigError,
    ErrorLog,
    FrontMatterError,
    OutputFolderError,
    SourceError,
    TemplateError,
    sort_errors,
)


def test_source_error_prints_path_line_column():
    assert str(SourceError("content/a.md", "bad", 4, 7)) == "content/a.md:4:7: bad"
    assert str(SourceError("content/a.md", "bad", 4)) == "content/a.md:4: bad"
    assert str(SourceError("config.yaml", "missing")) == "config.yaml: missing"


def test_errors_pickle_with_their_fields():
    error = FrontMatterError("content/a.md", "bad", 3, 2)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is FrontMatterError
    assert (copy.path, copy.message, copy.line, copy.column) == ("content/a.md", "bad", 3, 2)
    assert str(copy) == str(error)


def test_sort_errors_by_path_then_line_then_unlocated_last():
    errors = [
        OutputFolderError("output folder is bad"),
        TemplateError("layouts/x.html", "t", 2),
        FrontMatterError("content/b.md", "b", 1),
        FrontMatterError("content/a.md", "a2", 10),
        FrontMatterError("content/a.md", "a1", 2),
        ConfigError("config.yaml", "c", 1),
    ]
    assert [str(e) for e in sort_errors(errors)] == [
        "config.yaml:1: c",
        "content/a.md:2: a1",
        "content/a.md:10: a2",
        "content/b.md:1: b",
        "layouts/x.html:2: t",
        "output folder is bad",
    ]


def test_build_failed_holds_sorted_errors_and_prints_one_line_each():
    failure = BuildFailed(
        [FrontMatterError("content/b.md", "b", 1), FrontMatterError("content/a.md", "a", 1)]
    )
    assert [e.path for e in failure.errors] == ["content/a.md", "content/b.md"]
    assert str(failure) == "content/a.md:1: a\ncontent/b.md:1: b"


def test_error_log_collects_and_raises_all():
    log = ErrorLog()
    log.raise_if_any()
    log.warn(FrontMatterError("content/a.md", "w", 1))
    log.raise_if_any()  # warnings alone do not fail
    log.error(FrontMatterError("content/a.md", "e1", 1))
    other = ErrorLog()
    other.error(FrontMatterError("content/b.md", "e2", 1))
    log.extend(other)
    try:
        log.raise_if_any()
    except BuildFailed as failure:
        assert [e.message for e in failure.errors] == ["e1", "e2"]
    else:
        raise AssertionError("raise_if_any did not raise")
