"""What a Markdown body would cost Python-Markdown to render, counted before it is rendered.

Python-Markdown is quadratic on some constructs: each opener that is never closed makes it scan
to the end of its paragraph (brackets, link destinations' parentheses) or of the whole body
('<', which its HTML parser reads up to the next '>'); each heading, rule or fence line inside
one long paragraph makes it split the rest of that paragraph again; abbreviations and footnotes
are looked for all over the body. Measured here (benchmarks/markup.py): 20 KB of unclosed '['
took 74 s, 120 KB of '<a ' 110 s, 32 KB of '[a](<' 14 s, 32 KB of setext headings in one
paragraph 7.5 s; real items of any length are linear (5 MB of prose in 1.7 s).

Costs are counted in units of one character of the ']' scan (the slowest per character), each
kind weighted by how fast Python-Markdown scans for it relative to that. A body whose constructs
cost more than the budget is refused, at the line of its costliest kind's worst place.
"""
from __future__ import annotations

import re

SCAN_BUDGET = 5_000_000   # about 1.5 s of Python-Markdown's time; a real item with a hundred links costs a few thousand
WEIGHTS = {"bracket": 1.0, "paren": 0.5, "angle": 0.25, "split": 0.5, "abbr": 0.15, "footnote": 0.0125,
           "headings": 0.02, "html_block": 0.002}
# Past the constructs above, Python-Markdown slows down on dense runs of markup of many kinds (20,000
# of '\', '*_', '`', '{#' in one paragraph take 0.1-1.5 s, four times as many 4-16 times as long):
# no paragraph may hold more markup characters than this. Prose holds a few in a hundred.
MAX_MARKUP = 20_000
_MARKUP = re.compile(r"[\\*_`<>\[\](){}#!&~=:]")

_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
# lines a block processor splits a paragraph at: headings, setext underlines and rules, fences, definitions
_SPLIT_LINE = re.compile(r"^ {0,3}(?:#|```|~~~|:[ \t]|(?:[=\-*_][ \t]*)+$)", re.MULTILINE)
_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]\n]*\]:", re.MULTILINE)
_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]\n]*\]:", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}(?:#|=+[ \t]*$|-+[ \t]*$)", re.MULTILINE)   # each gets an id made unique among all
_HTML_BLOCK = re.compile(r"^ {0,3}<", re.MULTILINE)

HOW_TO_FIX = {
    "bracket": "the '[' without a matching ']' in this paragraph (and perhaps others) would make the item take "
               "minutes to render; close them or write them as \\[",
    "paren": "the '(' after '](' without a matching ')' in this paragraph (and perhaps others) would make the item "
             "take minutes to render; close them or write them as \\(",
    "angle": "the '<' without a closing '>' here (and perhaps others after it) would make the item take minutes to "
             "render; write a '<' that starts no HTML tag as &lt;",
    "split": "this paragraph holds so many heading, rule or fence lines without blank lines between them that the "
             "item would take minutes to render; put a blank line before each",
    "abbr": "this body defines so many abbreviations (*[…]: …) for its length that the item would take minutes to "
            "render; keep the few a reader needs",
    "footnote": "this body has so many footnotes for its length that the item would take minutes to render; keep "
                "the few a reader needs",
    "headings": "this body has so many headings that the item would take minutes to render (each gets its own "
                "anchor); use fewer, or bold text",
    "html_block": "this body opens so many HTML blocks (lines starting with '<') for its length that the item would "
                  "take minutes to render; write the text as Markdown",
    "markup": "this paragraph holds more than {limit:,} Markdown markup characters ({found:,} of \\ * _ ` < > [ ] ( ) "
              "{{ }} # ! & ~ = :), which would make the item take minutes to render; split it with blank lines",
}


def bracket_cost(paragraph: str) -> int:
    """How many characters Python-Markdown scans looking for the ']' of every '[': up to the
    matching ']', or to the end of the paragraph for a '[' never closed."""
    cost, opened = 0, []
    for match in re.finditer(r"(?<!\\)[\[\]]", paragraph):
        if match[0] == "[":
            opened.append(match.start())
        elif opened:
            cost += match.start() - opened.pop()
    return cost + sum(len(paragraph) - at for at in opened)


def _paren_cost(paragraph: str) -> tuple[int, int]:
    """The scan for the ')' of each link destination ('](' opens one); and where the costliest opens."""
    cost, worst, opened = 0, (0, 0), []
    for match in re.finditer(r"\]\(|(?<!\\)[()]", paragraph):
        if match[0] != ")":
            opened.append(match.end() if match[0] == "](" else -1)   # -1: a plain '(' nested inside
        elif opened:
            at = opened.pop()
            if at >= 0:
                cost += match.start() - at
                worst = max(worst, (match.start() - at, -at))
    for at in opened:
        if at >= 0:
            cost += len(paragraph) - at
            worst = max(worst, (len(paragraph) - at, -at))
    return cost, -worst[1]


def _angle_cost(text: str) -> tuple[int, int]:
    """The HTML parser reads from each '<' to the next '>', across paragraphs; and where the
    costliest '<' is."""
    cost, worst, next_close = 0, (0, 0), len(text)
    for match in reversed(list(re.finditer(r"[<>]", text))):
        if match[0] == ">":
            next_close = match.start()
        else:
            cost += next_close - match.start()
            worst = max(worst, (next_close - match.start(), -match.start()))
    return cost, -worst[1]


def scan_costs(text: str) -> dict[str, tuple]:
    """For each costly kind of construct in the body: its weighted cost, and the offset of the
    place that costs most (for "markup", a paragraph past MAX_MARKUP: just over the budget,
    and how many markup characters it holds)."""
    costs: dict[str, list] = {kind: [0.0, (0.0, 0)] for kind in WEIGHTS}
    dense: list[tuple[int, int]] = []   # (markup characters, offset) of paragraphs past MAX_MARKUP

    def add(kind: str, cost: float, worst: float, at: int) -> None:
        costs[kind][0] += cost * WEIGHTS[kind]
        costs[kind][1] = max(costs[kind][1], (worst, -at))

    start = 0
    for end, after in [(m.start(), m.end()) for m in _PARAGRAPHS.finditer(text)] + [(len(text), len(text))]:
        paragraph = text[start:end]
        if "[" in paragraph:
            cost = bracket_cost(paragraph)
            add("bracket", cost, cost, start)
        if "](" in paragraph:
            cost, at = _paren_cost(paragraph)
            add("paren", cost, cost, start + at)
        markup = len(_MARKUP.findall(paragraph))
        if markup > MAX_MARKUP:
            dense.append((markup, start))
        splits = [m.start() for m in _SPLIT_LINE.finditer(paragraph)]
        if len(splits) > 1:
            cost = sum(len(paragraph) - at for at in splits)
            add("split", cost, cost, start)
        start = after
    if "<" in text:
        cost, at = _angle_cost(text)
        add("angle", cost, cost, at)
    for kind, pattern in (("abbr", _ABBREVIATION), ("footnote", _FOOTNOTE), ("html_block", _HTML_BLOCK)):
        found = [m.start() for m in pattern.finditer(text)]
        if found:
            add(kind, len(found) * len(text), len(found), found[0])
    headings = [m.start() for m in _HEADING.finditer(text)]
    if headings:
        add("headings", len(headings) ** 2, len(headings), headings[0])
    found = {kind: (cost, -where[1]) for kind, (cost, where) in costs.items() if cost}
    if dense:
        markup, at = max(dense)
        found["markup"] = (SCAN_BUDGET + 1.0, at, markup)   # over the budget alone; a named kind that costs more says more
    return found


def too_costly(text: str) -> tuple[int, str] | None:
    """(line, message) when the body would cost more than the budget to render, else None."""
    costs = scan_costs(text)
    if sum(cost[0] for cost in costs.values()) <= SCAN_BUDGET:
        return None
    kind, (_, at, *extra) = max(costs.items(), key=lambda item: item[1][0])
    message = HOW_TO_FIX[kind].format(limit=MAX_MARKUP, found=extra[0]) if kind == "markup" else HOW_TO_FIX[kind]
    return text.count("\n", 0, at) + 1, message
