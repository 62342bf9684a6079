"""The search memo finds the articles a build has anew (search/__init__.py)."""

from __future__ import annotations

from types import SimpleNamespace

from sitegen.search import DocsMemo, _new_articles


def found(memo: DocsMemo, sites: list[SimpleNamespace], signed: dict) -> set[tuple[int, int]]:
    """(site number, id of the article) of each article without a document; each gets one."""
    new = _new_articles(memo, sites, signed)
    for _, _, article in new:
        signed[id(article)] = (article, None, "")
    return {(number, id(article)) for number, _, article in new}


def test_articles_replaced_or_reordered_are_made_again_and_the_gone_dropped():
    a, b, c, d, e = (object() for _ in range(5))  # articles are told apart by identity
    first, second = SimpleNamespace(articles={"a": a, "b": b}), SimpleNamespace(articles={})
    memo, signed = DocsMemo(), {}
    assert found(memo, [first, second], signed) == {(0, id(a)), (0, id(b))}
    # As many articles as before in each site: compared place by place.
    first.articles["b"] = c  # b edited: a new object
    assert found(memo, [first, second], signed) == {(0, id(c))}
    assert signed.keys() == {id(a), id(c)}
    first.articles = {"c": c, "a": a}  # the same articles in another order
    assert found(memo, [first, second], signed) == {(0, id(c)), (0, id(a))}
    assert signed.keys() == {id(a), id(c)}
    assert found(memo, [first, second], signed) == set()  # nothing changed
    # Other counts: compared as sets.
    first.articles, second.articles = {"c": c}, {"d": d}  # a gone, d new
    assert found(memo, [first, second], signed) == {(1, id(d))}
    assert signed.keys() == {id(c), id(d)}
    first.articles, second.articles = {"e": e}, {"d": d, "a": a}  # c gone, e and a new
    assert found(memo, [first, second], signed) == {(0, id(e)), (1, id(a))}
    assert signed.keys() == {id(a), id(d), id(e)}
