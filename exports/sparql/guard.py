"""The query guard: what a query may do is decided before anything runs.

:func:`check_query` tokenises the query and refuses SPARQL Update and every
``SERVICE`` clause: Oxigraph would otherwise follow ``SERVICE <http://...>``
to any address. :func:`syntax_error` turns Oxigraph's parse errors into one
line with line and column.
"""

from __future__ import annotations

import re

from kg.errors import QueryError

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


class QueryRefused(QueryError):
    """A query the endpoint will not run: SPARQL Update or ``SERVICE``."""


_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_CHARS = r"(?:[\w\-.:%\u00B7]|\\[_~.\-!$&'()*+,;=/?#@%])"
_LEXER = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '''(?:[^'\\]|\\.|'(?!''))*'''
             | "(?:[^"\\\n\r]|\\.)*"
             | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<word>@?[^\W\d]PN*|\d*:PN*|\d\w*)
  | (?P<other>.)
    """.replace("PN", _PN_CHARS),
    re.VERBOSE | re.DOTALL,
)


def _unescape_codepoints(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _CODEPOINT_ESCAPE.sub(one, text)


def query_words(query: str) -> list[str]:
    """The bare words of a query, upper-cased, outside comments, strings, IRIs and variables.

    Prefixed names (``ex:service``), blank nodes (``_:b``) and language tags
    (``@en``) stay whole, so ``SERVICE`` shows up only where it is a keyword.

    Args:
        query: SPARQL text.

    Returns:
        The words in order.
    """
    return [m.group("word").upper() for m in _LEXER.finditer(query) if m.lastgroup == "word"]


def outer_limit(query: str) -> int | None:
    """The ``LIMIT`` of the query as a whole (not of a sub-select), or ``None`` when it has none.

    Read from the lexer's tokens at brace depth 0, so comments, strings and
    IRIs never count: ``SELECT … { { SELECT … LIMIT 5 } } LIMIT 1000`` -> 1000.
    The answer has at most this many rows.
    """
    depth, limit, expect = 0, None, False
    for m in _LEXER.finditer(query):
        kind, text = m.lastgroup, m.group(0)
        if kind == "other":
            depth += (text == "{") - (text == "}")
            continue
        if kind != "word":
            expect = False
            continue
        if expect and text.isdigit():
            limit = int(text)
        expect = depth == 0 and text.upper() == "LIMIT"
    return limit


def check_query(query: str) -> str:
    """Refuse what must never run; return the query form.

    Args:
        query: SPARQL text.

    Returns:
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"``, ``"DESCRIBE"``, or ``""`` when
        no form is found (the parser then reports the syntax error).

    Raises:
        QueryRefused: SPARQL Update, or a ``SERVICE`` clause (federated query).
    """
    # SPARQL allows \\uXXXX escapes anywhere in a query; look at both readings.
    words = query_words(query)
    unescaped = _unescape_codepoints(query)
    if unescaped != query:
        words += query_words(unescaped)
    # Oxigraph's parser needs no space after a number, boolean or prefixed name, so
    # ``1SERVICE <x>``, ``trueSERVICE <x>``, ``ex:.SERVICE <x>`` and ``SERVICE:`` all reach
    # the network: refuse SERVICE anywhere in a word, not only as a whole word.
    for word in words:
        if word == "SERVICE":
            raise QueryRefused("SERVICE (federated query) is not allowed here")
        if "SERVICE" in word:
            raise QueryRefused(
                f"SERVICE is not allowed here (found in {word.lower()!r}; write a name that "
                "contains 'service' as a full <IRI>)"
            )
    if UPDATE_WORDS.intersection(words):
        raise QueryRefused("SPARQL Update is not allowed: this endpoint is read-only")
    for word in words:
        if word in ("BASE", "PREFIX") or ":" in word:
            continue
        return word if word in QUERY_FORMS else ""
    return ""


_OX_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def syntax_error(err: Exception) -> QueryError:
    """Turn an Oxigraph ``SyntaxError`` into a one-line error with line and column.

    Args:
        err: The parser's exception.

    Returns:
        A :class:`QueryError` whose message names line and column.
    """
    text = " ".join(str(err).split())
    match = _OX_SYNTAX.match(text)
    if not match:
        return QueryError(f"SPARQL syntax error: {text}")
    line, column, detail = match.groups()
    head, sep, options = detail.partition("expected one of ")
    if sep:
        items = options.split(", ")
        if len(items) > 8:
            options = ", ".join(items[:8]) + f", ... ({len(items) - 8} more)"
        detail = f"{head}expected one of {options}"
    return QueryError(f"SPARQL syntax error at line {line}, column {column}: {detail}")
