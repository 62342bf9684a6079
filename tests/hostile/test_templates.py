"""Layouts that fail: the template file and line, once; never a file from outside layouts/."""

from __future__ import annotations

from tests.invalid.conftest import Expected

LAYOUT = "layouts/article.html"


def article_layout(*body: str) -> str:
    return (
        "\n".join(['{% extends "base.html" %}', "{% block content %}", *body, "{% endblock %}"])
        + "\n"
    )


def test_include_that_climbs_out_of_layouts_is_not_found(breaker):
    breaker.fails(
        {LAYOUT: article_layout('{% include "../../../../../../etc/passwd" %}')},
        [Expected(LAYOUT, 3, "template '../../../../../../etc/passwd' not found")],
    )


def test_include_by_absolute_path_is_not_found(breaker):
    breaker.fails(
        {LAYOUT: article_layout('{% include "/etc/passwd" %}')},
        [Expected(LAYOUT, 3, "template '/etc/passwd' not found")],
    )


def test_layout_extending_itself_fails_at_its_first_line(breaker):
    breaker.fails(
        {LAYOUT: '{% extends "article.html" %}\n'}, [Expected(LAYOUT, 1, "RecursionError")]
    )


def test_error_raised_while_rendering_names_the_line(breaker):
    breaker.fails(
        {LAYOUT: article_layout("<h1>{{ page.title }}</h1>", "{{ 1 // 0 }}")},
        [Expected(LAYOUT, 4, "ZeroDivisionError")],
    )


def test_unclosed_if_names_the_line_where_the_layout_ends(breaker):
    breaker.fails(
        {LAYOUT: '{% extends "base.html" %}\n{% block content %}\n<p>{% if page.title %}x</p>\n'},
        [
            Expected(
                LAYOUT, 3, "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'"
            )
        ],
    )
