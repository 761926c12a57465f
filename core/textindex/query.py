"""Queries as PostgreSQL prints them, and PostgreSQL's ranking arithmetic (see core.textindex)."""

import re

import numpy as np

# PostgreSQL's default ts_rank weights, by the weight letter of a position (D is unmarked).
WEIGHTS = {"D": np.float32(0.1), "C": np.float32(0.2), "B": np.float32(0.4), "A": np.float32(1.0)}
ZETA_2 = 1.64493406685  # the limit of sum(1/i^2), by which calc_rank_or divides each entry's value


class Unsupported(ValueError):
    """A query the index cannot evaluate exactly (negation, phrases): search with PostgreSQL."""


_TOKEN = re.compile(r"\s*(?:'((?:[^'\\]|''|\\.)*)'(?::([ABCD*]+))?|(&|\||!|<\d*-?>|\(|\)))")


def parse_tsquery(text: str):
    """The tree of a tsquery as PostgreSQL prints it: ("term", lexeme, prefix), ("and", [...]),
    ("or", [...]); None for the empty query (which matches nothing). Raises Unsupported."""
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        found = _TOKEN.match(text, position)
        if not found:
            raise Unsupported(text)
        lexeme, flags, operator = found.groups()
        if operator is None:
            lexeme = re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", lexeme)
            tokens.append(("term", lexeme, "*" in (flags or "")))
        elif operator in ("&", "|", "(", ")"):
            tokens.append(operator)
        else:
            raise Unsupported(text)
        position = found.end()
    if not tokens:
        return None
    tree, rest = _parse_or(tokens)
    if rest:
        raise Unsupported(text)
    return tree


def _parse_or(tokens):
    left, tokens = _parse_and(tokens)
    children = [left]
    while tokens and tokens[0] == "|":
        right, tokens = _parse_and(tokens[1:])
        children.append(right)
    return (children[0] if len(children) == 1 else ("or", children)), tokens


def _parse_and(tokens):
    left, tokens = _parse_atom(tokens)
    children = [left]
    while tokens and tokens[0] == "&":
        right, tokens = _parse_atom(tokens[1:])
        children.append(right)
    return (children[0] if len(children) == 1 else ("and", children)), tokens


def _parse_atom(tokens):
    if not tokens:
        raise Unsupported("incomplete query")
    head = tokens[0]
    if head == "(":
        tree, rest = _parse_or(tokens[1:])
        if not rest or rest[0] != ")":
            raise Unsupported("unbalanced parentheses")
        return tree, rest[1:]
    if isinstance(head, tuple):
        return head, tokens[1:]
    raise Unsupported(f"unexpected {head!r}")


def operands(tree) -> list[tuple[str, bool]]:
    """The distinct operands of a tree in PostgreSQL's order (byte order, as SortAndUniqItems)."""
    found: dict[str, bool] = {}

    def walk(node):
        if node[0] == "term":
            found.setdefault(node[1], node[2])
        else:
            for child in node[1]:
                walk(child)

    if tree is not None:
        walk(tree)
    return sorted(found.items(), key=lambda item: item[0].encode())


_ENTRY_RANKS: dict[str, np.float32] = {}


def entry_rank(weights: str) -> np.float32:
    """calc_rank_or's value for one vector entry, from its positions' weight letters in order
    (before the division by ZETA_2), computed in single precision as PostgreSQL does."""
    try:
        return _ENTRY_RANKS[weights]
    except KeyError:
        pass
    resj, wjm, jm = np.float32(0.0), np.float32(-1.0), 0
    for j, letter in enumerate(weights or "D"):  # an entry without positions counts as one D
        weight = WEIGHTS[letter]
        resj = np.float32(resj + weight / np.float32((j + 1) * (j + 1)))
        if weight > wjm:
            wjm, jm = weight, j
    value = np.float32(np.float32(wjm + resj) - np.float32(wjm / np.float32((jm + 1) * (jm + 1))))
    _ENTRY_RANKS[weights] = value
    return value
