"""The shared lexer: brackets inside strings, IRIs, comments and local-name escapes do
not count, and a comment ends at either line break."""

from __future__ import annotations

from casegraph.rdf.lexer import code_characters, nesting_depth


def test_brackets_in_opaque_tokens_do_not_nest():
    assert nesting_depth('SELECT * { ?s ?p "{{{((" }') == 1
    assert nesting_depth("SELECT * { ?s ?p '''\n{{\n''' }") == 1
    assert nesting_depth("SELECT * { ?s <http://x/((> ?o } # {{{{") == 1
    assert nesting_depth("SELECT * { { ( [ ] ) } }") == 4


def test_a_local_name_escape_is_not_a_comment():
    """``ex:a\\#b`` is one prefixed name; reading ``#`` as a comment would hide every
    bracket after it from the nesting count (a crash reproduction)."""
    text = "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:a\\#b ?o . " + "{ " * 100 + "}" * 101
    assert nesting_depth(text) == 101


def test_a_comment_ends_at_carriage_return_as_at_newline():
    assert nesting_depth("SELECT * { #\r { { } } }") == 3
    assert nesting_depth("SELECT * { #\n { { } } }") == 3


def test_code_characters_skip_strings_and_keep_offsets():
    text = 'a "b" c'
    assert [(i, c) for i, c in code_characters(text) if c != " "] == [(0, "a"), (6, "c")]
