"""Errors in a site's layouts/: the template file and line, once, not once per page."""

from __future__ import annotations

from tests.invalid.conftest import Expected

ARTICLE = """\
{% extends "base.html" %}
{% block content %}
<article>
  <h1>{{ page.title }}</h1>
  {% include "x.html" %}
</article>
{% endblock %}
"""


def test_syntax_error_in_an_included_layout_names_that_file_and_line(breaker):
    partial = (
        "<aside>\n  {{ page.title }}\n  {% for tag in %}{{ tag.name }}{% endfor %}\n</aside>\n"
    )
    breaker.fails(
        {"layouts/article.html": ARTICLE, "layouts/x.html": partial},
        [Expected("layouts/x.html", 3, "template syntax error")],
    )


def test_syntax_error_in_an_overridden_layout(breaker):
    broken = (
        '{% extends "base.html" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n'
    )
    breaker.fails(
        {"layouts/article.html": broken},
        [Expected("layouts/article.html", 3, "template syntax error")],
    )


def test_undefined_name_in_article_layout_names_its_line(breaker):
    broken = ARTICLE.replace('{% include "x.html" %}', "<p>{{ page.no_such_field }}</p>")
    breaker.fails(
        {"layouts/article.html": broken}, [Expected("layouts/article.html", 5, "no_such_field")]
    )


def test_undefined_variable_in_article_layout_names_its_line(breaker):
    broken = ARTICLE.replace('{% include "x.html" %}', "<p>{{ writer_name }}</p>")
    breaker.fails(
        {"layouts/article.html": broken},
        [Expected("layouts/article.html", 5, "'writer_name' is undefined")],
    )


def test_missing_included_template_names_the_including_line(breaker):
    breaker.fails(
        {"layouts/article.html": ARTICLE},
        [Expected("layouts/article.html", 5, "template 'x.html' not found")],
    )


def test_syntax_error_in_an_unused_layout_is_reported(breaker):
    breaker.fails(
        {"layouts/x.html": "<p>\n{% if %}\n</p>\n"},
        [Expected("layouts/x.html", 2, "template syntax error")],
    )
