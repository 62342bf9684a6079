"""YAML of config.yaml and front matter: safe loading only, duplicate keys refused, lines kept."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml

# Aliases (*name) may repeat a value, but not so often that loading it becomes a
# "billion laughs" bomb; nesting deeper than this is no front matter or config either.
MAX_ALIAS_VALUES = 100_000
MAX_DEPTH = 50


class YamlProblem(Exception):
    """A YAML error at a line and column counted from 1 within the YAML text."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _StrictRules:
    """What sitegen's safe loader adds to PyYAML's: a key given twice is an error instead of
    silently the last value, file lines in messages, and values that stay text."""

    first_line = 1  # file line of the YAML text's first line, so messages name file lines
    text = ""  # the YAML text, to count lines the way the file does ("\n" only)

    def line_of(self, mark: yaml.Mark) -> int:
        """File line of a mark: YAML also ends lines at U+0085, U+2028, U+2029; files do not."""
        return _line_at(self.text, mark.index, self.first_line)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first_line = seen.get(key)
            except TypeError:
                raise YamlProblem(
                    "a key must be a plain value, not a list or mapping",
                    self.line_of(key_node.start_mark),
                    _column_at(self.text, key_node.start_mark.index),
                ) from None
            if first_line is not None:
                raise YamlProblem(
                    f"key '{key}' is given twice (first on line {first_line}): keep one",
                    self.line_of(key_node.start_mark),
                    _column_at(self.text, key_node.start_mark.index),
                )
            seen[key] = self.line_of(key_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_timestamp_or_text(self, node: yaml.ScalarNode) -> Any:
        """A date-like value that is no real date ("2026-13-45") stays text, for the field check
        to report with the field's line, instead of a ValueError without a location."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_int_or_text(self, node: yaml.ScalarNode) -> Any:
        """A number too long for Python to convert (over 4300 digits) stays text."""
        try:
            return self.construct_yaml_int(node)
        except ValueError:
            return self.construct_scalar(node)

    def refuse_tag(self, node: yaml.Node) -> Any:
        """Bytes, sets and ordered pairs are no plain values: refused like Python tags."""
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"could not determine a constructor for the tag {node.tag!r}",
            node.start_mark,
        )


def _strict_loader(base: type) -> type:
    loader = type(f"Strict{base.__name__}", (_StrictRules, base), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", loader.construct_timestamp_or_text)
    loader.add_constructor("tag:yaml.org,2002:int", loader.construct_int_or_text)
    for tag in ("binary", "set", "omap", "pairs"):
        loader.add_constructor(f"tag:yaml.org,2002:{tag}", loader.refuse_tag)
    return loader


# Both give the same values and the same messages (tests run both); the C one is faster.
LOADERS = {"pure": _strict_loader(yaml.SafeLoader)}
if hasattr(yaml, "CSafeLoader"):
    LOADERS["libyaml"] = _strict_loader(yaml.CSafeLoader)
_StrictLoader = LOADERS.get("libyaml", LOADERS["pure"])


@dataclass(frozen=True)
class YamlMapping:
    values: dict[str, Any]
    key_lines: dict[str, int]  # line of each top-level key, from 1


def load_mapping(text: str, first_line: int = 1) -> YamlMapping | None:
    """Load YAML text that must be a mapping; None for an empty document.

    Lines (of problems and keys) count from `first_line`, the file line where the text starts.
    Raises YamlProblem for a syntax error, an unsafe tag, a duplicate key or a non-mapping.
    """
    return _simple_mapping(text, first_line) or parse_mapping(text, first_line)


def parse_mapping(text: str, first_line: int = 1) -> YamlMapping | None:
    """load_mapping by the YAML parser, for any text."""
    try:
        loader = _StrictLoader(text)  # the pure-Python reader checks the characters here
    except yaml.reader.ReaderError as error:
        raise _unreadable(error, text, first_line) from None
    loader.first_line = first_line
    loader.text = text
    try:
        if _nesting_marks(text) > MAX_DEPTH:
            _check_token_depth(text, first_line)
        node = loader.get_single_node()
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            kind = {"ScalarNode": "a single value", "SequenceNode": "a list"}.get(
                type(node).__name__, "not a mapping"
            )
            raise YamlProblem(
                f"expected 'key: value' lines, found {kind}", loader.line_of(node.start_mark), 1
            )
        if _may_be_hostile(text):
            _check_shape(node, loader)
        values = loader.construct_document(node)
        key_lines = {str(key.value): loader.line_of(key.start_mark) for key, _ in node.value}
    except yaml.MarkedYAMLError as error:
        mark = _opening_mark(error) or error.problem_mark or error.context_mark
        line, column = (
            (loader.line_of(mark), _column_at(text, mark.index)) if mark else (first_line, 1)
        )
        at_tab = mark is not None and text[mark.index : mark.index + 1] == "\t"
        raise YamlProblem(_describe(error, at_tab), line, column) from None
    except yaml.reader.ReaderError as error:  # libyaml's reader checks them here
        raise _unreadable(error, text, first_line) from None
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        raise YamlProblem(f"invalid YAML: {message}", first_line, 1) from None
    finally:
        loader.dispose()
    return YamlMapping({str(k): v for k, v in values.items()}, key_lines)


def _unreadable(error: yaml.reader.ReaderError, text: str, first_line: int) -> YamlProblem:
    """A character YAML refuses: one line, at its file line, in the same words from both
    readers (libyaml's and the pure-Python one name it differently)."""
    # libyaml counts the position in bytes: find the character itself instead.
    found = text.find(chr(error.character)) if isinstance(error.character, int) else -1
    index = found if found >= 0 else min(error.position, len(text))
    code = ord(text[index]) if found >= 0 else 0
    return YamlProblem(
        f"invalid YAML: control characters are not allowed (character U+{code:04X}): remove it",
        _line_at(text, index, first_line),
        _column_at(text, index),
    )


# Front matter as most writers write it: one `key: value` per line, the value a quoted text,
# a list of quoted texts, or a plain value that YAML reads as text. Read directly, in a
# tenth of the parser's time, to the same values (tests/property/test_parse_properties.py);
# anything else (comments, nesting, escapes, numbers, dates, a key given twice) is parsed.
_SIMPLE_LINE = re.compile(
    r"""(?P<key>[A-Za-z][\w-]*):[ ](?:
        "(?P<quoted>[^"\\]*)"
      | '(?P<single>[^']*)'
      | \[(?P<items>"[^"\\]*"(?:,[ ]"[^"\\]*")*)?\]
      | (?P<plain>[^\s\-?:,\[\]{}#&*!|>'"%@`](?:[^#:\n]|:(?=\S))*(?<!\s))
    )""",
    re.VERBOSE,
)
_QUOTED_ITEM = re.compile(r'"([^"]*)"')
# What YAML reads as text and needs no parser: printable, no tab, carriage return or BOM.
# (U+0085, U+2028 and U+2029 end lines in YAML.)
_NOT_PLAIN_TEXT = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_RESOLVER = yaml.resolver.Resolver()
_TEXT_TAG = "tag:yaml.org,2002:str"


def _simple_mapping(text: str, first_line: int) -> YamlMapping | None:
    """The mapping of simple front matter, as the YAML parser would give it; else None."""
    if not text.strip() or _NOT_PLAIN_TEXT.search(text):
        return None
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), first_line):
        if not line:
            continue
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            return None
        key = sys.intern(match["key"])  # every article's "title", "date"...: one string each
        if key in values or len(key) > 1000 or not _reads_as_text(key):
            return None
        if match["plain"] is not None:
            if not _reads_as_text(match["plain"]):
                return None
            value: Any = match["plain"]
        elif match["quoted"] is not None:
            value = match["quoted"]
        elif match["single"] is not None:
            value = match["single"]
        else:
            value = _QUOTED_ITEM.findall(match["items"] or "")
        values[key] = value
        key_lines[key] = number
    return YamlMapping(values, key_lines)


def _reads_as_text(plain: str) -> bool:
    """Whether YAML takes this plain scalar for text (not a number, date, boolean or null)."""
    return _RESOLVER.resolve(yaml.ScalarNode, plain, (True, False)) == _TEXT_TAG


def _line_at(text: str, index: int, first_line: int) -> int:
    return text.count("\n", 0, index) + first_line


def _column_at(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1) + 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


# Every level of nesting takes one of these: a flow bracket, a mapping's ':' or '?', a list's '-'.
_NESTING_MARKS = ("[", "{", ":", "?", "-")


def _nesting_marks(text: str) -> int:
    return sum(text.count(mark) for mark in _NESTING_MARKS)


def _may_be_hostile(text: str) -> bool:
    """Whether _check_shape must walk the nodes: only aliases (*name) can repeat values or
    make loops, and nesting deeper than MAX_DEPTH needs more marks than that."""
    return "*" in text or _nesting_marks(text) > MAX_DEPTH


_OPENING_TOKENS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSING_TOKENS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _check_token_depth(text: str, first_line: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH before a parser sees it.

    Each parser stops absurd nesting its own way (libyaml at 1,000 levels, with a message and
    column of its own; the pure-Python one by running out of stack): the pure scanner, which
    keeps its levels in a list, counts them first, so that every PyYAML says the same. The
    scanner counts no level for a list indented like its key, so shapes it counts as
    MAX_DEPTH deep or less are at most twice that, which every parser composes: _check_shape
    then measures them exactly.
    """
    scanner = yaml.SafeLoader(text)
    depth = 0  # collections open, the document's own mapping included
    key_line = first_line
    try:
        while (token := scanner.get_token()) is not None:
            if isinstance(token, _OPENING_TOKENS):
                depth += 1
                if depth > MAX_DEPTH + 1:
                    raise YamlProblem(
                        f"invalid YAML: values nested more than {MAX_DEPTH} deep", key_line, 1
                    )
            elif isinstance(token, _CLOSING_TOKENS):
                depth -= 1
            elif isinstance(token, yaml.KeyToken) and depth == 1:
                key_line = _line_at(text, token.start_mark.index, first_line)
    except yaml.YAMLError:
        return  # the parser reports it, with its line
    finally:
        scanner.dispose()


def _check_shape(root: yaml.MappingNode, loader: _StrictRules) -> None:
    """Refuse alias bombs, alias loops and absurd nesting before anything is constructed.

    An alias shares its node, so the composed graph stays small even when the value it
    stands for would have a billion items: count items with their repeats (`size`) and the
    nesting (`height`) once per node, without recursion.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children)
            height[key] = 1 + max((height[id(child)] for child in children), default=0)
            continue
        if key in size:
            continue
        if key in on_path:
            raise YamlProblem(
                "invalid YAML: an alias (*name) stands for a value that holds it, "
                "so the value would never end",
                loader.line_of(node.start_mark),
                1,
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    distinct = len(size)
    seen = 1
    for key_node, value_node in root.value:
        line = loader.line_of(key_node.start_mark)
        if height[id(value_node)] > MAX_DEPTH:
            raise YamlProblem(f"invalid YAML: values nested more than {MAX_DEPTH} deep", line, 1)
        seen += size[id(key_node)] + size[id(value_node)]
        if seen - distinct > MAX_ALIAS_VALUES:
            raise YamlProblem(
                f"invalid YAML: aliases (*name) repeat values more than "
                f"{MAX_ALIAS_VALUES:,} times (a 'billion laughs' bomb?)",
                line,
                1,
            )


def _opening_mark(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where an unclosed quote or bracket opens: the line to fix, not where the text ends."""
    if error.context and error.context.startswith(_AT_CONTEXT):
        return error.context_mark
    return None


_UNCLOSED = ("while scanning a quoted scalar", "while parsing a flow")
_AT_CONTEXT = _UNCLOSED + ("while scanning a simple key",)


def _describe(error: yaml.MarkedYAMLError, at_tab: bool = False) -> str:
    problem = error.problem or "invalid YAML"
    if "could not determine a constructor" in problem:
        return (
            f"unsupported YAML tag: {problem.split('tag ', 1)[-1]} (only plain values are allowed)"
        )
    if error.context:
        problem = f"{error.context}: {problem}"
    hint = ""
    if error.context and error.context.startswith(_UNCLOSED):
        hint = " (a quote or bracket opened here is never closed)"
    elif "mapping values are not allowed" in problem:
        hint = " (put quotes around a value that contains ': ')"
    elif at_tab or "tab character" in problem or "found character '\\t'" in problem:
        hint = " (indent with spaces, not tabs)"
    return f"invalid YAML: {problem}{hint}"
