"""YAML for config.yaml and front matter: safe loading only, duplicate keys refused, line numbers kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it


class YamlProblem(Exception):
    """A YAML error at a line and column counted from 1 within the YAML text."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, but a key given twice is an error instead of silently the last value."""

    first_line = 1  # file line of the YAML text's first line, so messages name file lines

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first_line = seen.get(key)
            except TypeError:
                raise YamlProblem(
                    "a key must be a plain value, not a list or mapping",
                    key_node.start_mark.line + self.first_line,
                    key_node.start_mark.column + 1,
                ) from None
            if first_line is not None:
                raise YamlProblem(
                    f"key '{key}' is given twice (first on line {first_line}): keep one",
                    key_node.start_mark.line + self.first_line,
                    key_node.start_mark.column + 1,
                )
            seen[key] = key_node.start_mark.line + self.first_line
        return super().construct_mapping(node, deep=deep)

    def construct_timestamp_or_text(self, node: yaml.ScalarNode) -> Any:
        """A date-like value that is no real date ("2026-13-45") stays text, for the field check
        to report with the field's line, instead of a ValueError without a location."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _StrictLoader.construct_timestamp_or_text
)


@dataclass(frozen=True)
class YamlMapping:
    values: dict[str, Any]
    key_lines: dict[str, int]  # line of each top-level key, from 1


def load_mapping(text: str, first_line: int = 1) -> YamlMapping | None:
    """Load YAML text that must be a mapping; None for an empty document.

    Lines (of problems and keys) count from `first_line`, the file line where the text starts.
    Raises YamlProblem for a syntax error, an unsafe tag, a duplicate key or a non-mapping.
    """
    loader = _StrictLoader(text)
    loader.first_line = first_line
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            kind = {"ScalarNode": "a single value", "SequenceNode": "a list"}.get(
                type(node).__name__, "not a mapping"
            )
            raise YamlProblem(
                f"expected 'key: value' lines, found {kind}", node.start_mark.line + first_line, 1
            )
        values = loader.construct_document(node)
        key_lines = {
            str(key_node.value): key_node.start_mark.line + first_line for key_node, _ in node.value
        }
    except yaml.MarkedYAMLError as error:
        mark = _opening_mark(error) or error.problem_mark or error.context_mark
        line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
        at_tab = mark is not None and text[mark.index : mark.index + 1] == "\t"
        raise YamlProblem(_describe(error, at_tab), line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"invalid YAML: {error}", first_line, 1) from None
    finally:
        loader.dispose()
    return YamlMapping({str(k): v for k, v in values.items()}, key_lines)


def _opening_mark(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where an unclosed quote or bracket opens: the line to fix, not where the text ends."""
    if error.context and error.context.startswith(_UNCLOSED):
        return error.context_mark
    return None


_UNCLOSED = ("while scanning a quoted scalar", "while parsing a flow")


def _describe(error: yaml.MarkedYAMLError, at_tab: bool = False) -> str:
    problem = error.problem or "invalid YAML"
    if "could not determine a constructor" in problem:
        return f"unsupported YAML tag: {problem.split('tag ', 1)[-1]} (only plain values are allowed)"
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
