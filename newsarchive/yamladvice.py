"""What an editor's YAML slip means, in plain words, at the line where it is.

Editors write front matter by hand, often in word processors and Chinese input methods. The
slips they make most (a colon inside an unquoted title, an apostrophe inside single quotes, a
'#' that starts a comment, a non-breaking or full-width space, a full-width colon, a missing
space after the colon, a tab, an indented field, an unclosed list) give PyYAML's messages
("mapping values are not allowed here") on another line, or silently change the value. Here each
is found on its own line and said with how to fix it.
"""
from __future__ import annotations

import re

# spaces YAML does not take for a space, as an editor's keyboard or word processor types them
ODD_SPACES = {
    "\u00a0": "a non-breaking space (U+00A0)", "\u3000": "a full-width space (U+3000)",
    "\u202f": "a narrow non-breaking space (U+202F)", "\u2009": "a thin space (U+2009)",
    "\u200b": "a zero-width space (U+200B)", "\ufeff": "a zero-width no-break space (U+FEFF)",
    **{chr(c): f"a typographic space (U+{c:04X})" for c in range(0x2000, 0x200B) if chr(c) != "\u2009"},
}
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_KEY_LINE = re.compile(rf"({_KEY})[ \t]*:(?:[ \t]+(.*))?$")


def key_of(line: str) -> str | None:
    found = re.match(rf"\s*({_KEY})\s*[:：]", line)
    return found[1] if found else None


def slips(text: str) -> list[tuple[int, str, str]]:
    """(line from 0, field, message) of every slip found in ``text``, read line by line."""
    found = []
    for number, line in enumerate(text.split("\n")):
        key = key_of(line)
        if line[:1] == "\t":
            found.append((number, key or "yaml", "starts with a tab; YAML indents with spaces only: replace the tab "
                                                  "with spaces, or remove it"))
        fullwidth = re.match(rf"\s*({_KEY})\s*：", line)
        if fullwidth:
            found.append((number, fullwidth[1], f"is followed by a full-width colon '：'; write an ASCII colon and a "
                                                f"space: {fullwidth[1]}: …"))
        tight = re.match(rf"({_KEY}):([^\s/])", line)
        if tight and not fullwidth:
            found.append((number, tight[1], f"needs a space after the colon: {tight[1]}: {line[len(tight[0]) - 1:]}"))
        odd = _odd_space(line)
        if odd:
            found.append((number, key or "yaml", odd))
    return found


def _odd_space(line: str) -> str | None:
    """An odd space where YAML needs a plain one: in the indentation, right after a field's colon,
    or between the items of a [list] (not inside quoted or plain text, where it is text)."""
    quote, depth, before = None, 0, ""
    for at, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
            continue
        if char in ODD_SPACES:
            if not line[:at].strip() or before in ":,[{" or depth:
                where = ("at the start of the line" if not line[:at].strip() else
                         f"after '{line[:at].rstrip(''.join(ODD_SPACES)).strip()}'" if before == ":" else
                         "in the list")
                return (f"holds {ODD_SPACES[char]} {where}, where YAML needs an ordinary space; it looks like "
                        f"one but is not: delete it and type a space")
            continue
        if char in "\"'" and (before in ":,[{- " or not line[:at].strip()):
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(0, depth - 1)
        if not char.isspace():
            before = char
    return None


def explain(problem: str, context: str | None, text: str, line: int) -> tuple[int, str | None, str] | None:
    """Plain words for a PyYAML syntax error at ``line`` (from 0): (line, field, message), or None."""
    lines = text.split("\n")
    here = lines[line] if line < len(lines) else ""
    key = key_of(here)
    value = (_KEY_LINE.match(here.strip()) or [None, None, None])[2] if key else None
    if "mapping values are not allowed" in problem:
        if key and value and here[:1] not in " \t":
            return line, key, (f"the value holds ': ' (a colon and a space), which YAML reads as the start of "
                               f"another field: put it in quotes, {key}: \"{value}\"")
        above = next((key_of(lines[n]) for n in range(line - 1, -1, -1) if key_of(lines[n])), None)
        if above:
            return line, above, ("this line goes on with the value of the field above it and holds ': ', which YAML "
                                 f"reads as another field: put the value of '{above}' in quotes")
    if "expected <block end>" in problem and "<scalar>" in problem and key and value:
        if value.startswith("'"):
            return line, key, ("an apostrophe inside single quotes ends the text there: put the value in double "
                               "quotes instead (\"…'s…\"), or write the apostrophe twice ('')")
        if value.startswith('"'):
            return line, key, ("text follows the closing double quote: put it all inside the quotes, writing a "
                               "double quote inside as \\\" (or use single quotes outside)")
    if "expected <block end>" in problem and "<block mapping start>" in problem and here[:1] in " \t" and key:
        return line, key, "is indented: every field starts at the beginning of its line"
    if "sequence entries are not allowed" in problem and key:
        return line, key, ("'- ' after the colon starts a list, which cannot begin on the field's own line: put "
                           "the value in quotes, or write the list as [a, b]")
    if context and "flow sequence" in context:
        return None   # the caller points at where the '[' opened: see unclosed_list
    return None


UNCLOSED_LIST = "the list opened with '[' here is never closed with ']' (or an item in it needs quotes)"


def comment_cut(line_text: str, end_column: int) -> str | None:
    """What a plain value lost to a YAML comment: the text after ' #' on its line, if any."""
    rest = line_text[end_column:]
    found = re.match(r"\s+#(.*)$", rest)
    return found[1].strip() if found else None
