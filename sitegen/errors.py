"""Errors that name the file and line at fault, so a writer can fix them without a traceback."""

from __future__ import annotations

from collections.abc import Iterable


class SitegenError(Exception):
    """Base of every error sitegen reports to the user."""


class SourceError(SitegenError):
    """A problem in one input file: prints as `path:line:column: message`."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        location = printable(self.path)
        if self.line is not None:
            location += f":{self.line}"
            if self.column is not None:
                location += f":{self.column}"
        return f"{location}: {' '.join(self.message.splitlines())}"

    def __reduce__(self):  # keep the fields when sent back from a worker process
        return (type(self), (self.path, self.message, self.line, self.column))

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.line or 0, self.column or 0)


class BrokenLinkError(SitegenError):
    """A link of the output that names no file of the output, or no id of its page."""

    def __init__(self, page: str, href: str, why: str, origin: str = "", more: int = 0):
        self.page, self.href, self.why, self.origin, self.more = page, href, why, origin, more
        where = f"{page} ({origin})" if origin else page
        also = f" (and on {more} other page{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"{where}: broken link '{href}'{also}: {why}")

    def __reduce__(self):
        return (type(self), (self.page, self.href, self.why, self.origin, self.more))


def printable(text: str) -> str:
    """A file name as one line of readable text: control characters escaped, and the bytes of
    a name that is not UTF-8 shown as \\xNN."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif "\udc80" <= char <= "\udcff":  # how Python keeps an undecodable byte
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


class ConfigError(SourceError):
    """config.yaml is missing, malformed or holds a bad value."""


class FrontMatterError(SourceError):
    """The front matter of an article is malformed or incomplete."""


class ContentError(SourceError):
    """A content file cannot be read or rendered."""


class TemplateError(SourceError):
    """A layout fails to compile or render."""


class OutputConflictError(SourceError):
    """Two sources would be written to the same output path."""


class OutputFolderError(SitegenError):
    """The output folder is somewhere sitegen must not write."""


class CacheDamagedError(SitegenError):
    """The build cache turned out damaged while in use; it was cleared, so the next run is clean."""


class BuildFailed(SitegenError):
    """Every error of a run, reported together."""

    def __init__(self, errors: Iterable[SitegenError]):
        self.errors = sort_errors(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def sort_errors(errors: Iterable[SitegenError]) -> list[SitegenError]:
    """Source order, then any error without a location; each error once (a portal's
    sub-sites share templates, and each of them finds the same mistake)."""

    def key(error: SitegenError) -> tuple[int, tuple[str, int, int], str]:
        if isinstance(error, SourceError):
            return (0, error.sort_key(), error.message)
        return (1, ("", 0, 0), str(error))

    once = {(type(error), str(error)): error for error in errors}
    return sorted(once.values(), key=key)


class ErrorLog:
    """Collects errors and warnings over a whole run instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[SitegenError] = []
        self.warnings: list[SitegenError] = []

    def error(self, error: SitegenError) -> None:
        self.errors.append(error)

    def warn(self, warning: SitegenError) -> None:
        self.warnings.append(warning)

    def extend(self, other: ErrorLog) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildFailed(self.errors)
