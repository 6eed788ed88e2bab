"""Reading YAML that editors write (front matter, tags.yaml, site.yaml), with line numbers and limits.

PyYAML's safe loader still lets a 1 KB file expand to gigabytes through aliases ("billion
laughs"), turns explicit tags (``!!timestamp nope``) into tracebacks, and lets double-quoted escapes
put lone surrogates (``"\\ud800"``) and control characters (``"\\x07"``) into text, which no UTF-8
file or XML feed can hold. Here each of those is a ``ContentError`` naming the file and line.
"""
from __future__ import annotations

import re
import reprlib
from typing import Any

import yaml

from .errors import ContentError, ContentErrors
from .yamladvice import UNCLOSED_LIST, explain, slips

MAX_VALUES = 1_000        # values one setting may hold once aliases are expanded
MAX_DEPTH = 20            # nesting of lists and mappings inside one value

# Not allowed in text: C0 and C1 controls but tab, line feed and carriage return, lone surrogates,
# and the two non-characters XML 1.0 excludes.
BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxlevel = 60, 60, 5, 5, 3


def short(value: Any) -> str:
    """A value as messages quote it: bounded, whatever the value holds."""
    return _SHORT.repr(value)


def clip(text: str, limit: int = 60) -> str:
    """Text as messages show a name: bounded, without quotes."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def character_problem(text: str) -> str | None:
    """Why ``text`` cannot be published as it is, or None."""
    found = BAD_CHARACTER.search(text)
    if not found:
        return None
    code = ord(found[0])
    kind = "a lone surrogate (half of an invalid character)" if 0xD800 <= code <= 0xDFFF else "the control character"
    return f"contains {kind} U+{code:04X}, which cannot be published; remove it"


class Loader(yaml.SafeLoader):
    """YAML without implicit timestamps (dates stay text, checked by the field rules), recording
    explicit tags so that they are reported instead of constructed."""

    def __init__(self, stream):
        super().__init__(stream)
        self.explicit_tags: list[tuple[str, int]] = []   # (tag, line from 0)

    def compose_node(self, parent, index):
        event = self.peek_event()
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not isinstance(event, yaml.AliasEvent):
            self.explicit_tags.append((tag, event.start_mark.line))
        return super().compose_node(parent, index)


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FastLoader(getattr(yaml, "CSafeLoader", Loader)):
    """libyaml's parser and composer (in C, about 5 times faster here), with the same resolvers
    and the same line numbers. It cannot record explicit tags and reads tabs and the rare YAML 1.1
    line breaks otherwise than PyYAML, so it is used only for text with none of them (_SLOW);
    anything it refuses is parsed again by Loader, which says what is wrong. A property test
    holds the two to the same nodes and errors."""


FastLoader.yaml_implicit_resolvers = Loader.yaml_implicit_resolvers
_SLOW = re.compile("[!\t\x85\u2028\u2029]")


def compose(text: str, name: str, first_line: int = 1) -> tuple[Loader, yaml.Node | None]:
    """Parse YAML into nodes (for line numbers). Syntax errors, explicit tags and nesting beyond
    the parser's reach become ContentErrors."""
    found = slips(text)
    if found:   # slips that PyYAML misreads or reports elsewhere, said where they are
        raise ContentErrors([ContentError(name, first_line + line, field, message) for line, field, message in found])
    if FastLoader is not Loader and not _SLOW.search(text):
        loader = FastLoader(text)
        try:
            return loader, loader.get_single_node()
        except yaml.YAMLError:
            pass   # Loader below reports it, as it always has
        finally:
            loader.dispose()
    try:
        loader = Loader(text)   # its reader refuses control characters at once
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        raise ContentErrors([ContentError(name, line, "file", f"contains the control character "
                                                              f"U+{exc.character:04X}, which YAML does not allow")]) from None
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise ContentErrors([_syntax_error(exc, text, name, first_line)]) from None
    except RecursionError:
        raise ContentErrors([ContentError(name, first_line, "yaml", f"nests lists or mappings too deeply "
                                                                    f"(more than {MAX_DEPTH} levels)")]) from None
    finally:
        loader.dispose()
    if loader.explicit_tags:
        raise ContentErrors([ContentError(name, first_line + line, _key_on(text, line) or "yaml",
                                          f"the explicit YAML tag {_as_written(tag)} is not allowed; write the value plainly")
                             for tag, line in loader.explicit_tags])
    return loader, node


def _as_written(tag: str) -> str:
    """A YAML tag as an editor wrote it: ``!!timestamp``, not ``tag:yaml.org,2002:timestamp``."""
    return clip("!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag)


def _key_on(text: str, line: int) -> str | None:
    """The field a YAML line starts with ("title: ..."), to name it in a message."""
    lines = text.split("\n")
    key = re.match(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:", lines[line]) if line < len(lines) else None
    return key.group(1) if key else None


def _syntax_error(exc: yaml.YAMLError, text: str, name: str, first_line: int) -> ContentError:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    problem_mark = getattr(exc, "problem_mark", None)
    found = explain(problem, context, text, problem_mark.line) if problem_mark else None
    if found:   # a slip editors make, in plain words
        return ContentError(name, first_line + found[0], found[1] or "yaml", found[2])
    # Where the broken construct starts (an unclosed quote or list) helps more than where YAML gave up.
    mark = getattr(exc, "context_mark", None) or problem_mark
    line = first_line + (mark.line if mark else 0)
    if context and "flow sequence" in context:
        return ContentError(name, line, (_key_on(text, mark.line) if mark else None) or "yaml", UNCLOSED_LIST)
    if context and "quoted scalar" in context:
        message = "unclosed quoted text (a quote opened here is never closed)"
    else:
        message = f"malformed YAML: {problem} {context}" if context else f"malformed YAML: {problem}"
    return ContentError(name, line, (_key_on(text, mark.line) if mark else None) or "yaml", message)


def mapping_items(node, name: str, first_line: int, what: str):
    """(key, key line, value node) of a YAML mapping, and errors for non-text and repeated keys."""
    if node is None:
        return [], []
    if not isinstance(node, yaml.MappingNode):
        return [], [ContentError(name, first_line + node.start_mark.line, what, "must be a mapping of keys to values")]
    items, errors, seen = [], [], {}
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            errors.append(ContentError(name, line, what, "a key must be plain text"))
            continue
        key = key_node.value
        if not key.strip() or not key.isprintable():
            errors.append(ContentError(name, line, short(key), "a key must be a name (letters, digits, '_' or '-')"))
            continue
        if key in seen:
            errors.append(ContentError(name, line, key, f"appears twice (first on line {seen[key]})"))
            continue
        seen[key] = line
        items.append((key, line, value_node))
    return items, errors


def _expanded_size(node, memo: dict, depth: int = 0) -> int:
    """How many values ``node`` holds once every alias is expanded (each shared node counted at
    each place it appears), without expanding anything."""
    if depth > MAX_DEPTH:
        raise ValueError(f"nests lists or mappings more than {MAX_DEPTH} levels deep")
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(n, memo, depth + 1) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo, depth + 1) + _expanded_size(v, memo, depth + 1) for k, v in node.value)
    else:
        size = 1
    memo[id(node)] = size
    return size


def _texts(value, depth: int = 0):
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key, depth + 1)
            yield from _texts(item, depth + 1)


def construct(loader: Loader, node) -> Any:
    """The Python value of ``node``, or ValueError (bounded message) when it is too large once
    aliases expand, nests too deeply, holds characters that cannot be published, or is not valid."""
    memo: dict = {}
    size = _expanded_size(node, memo)
    if size > MAX_VALUES:
        if len(memo) < size:   # nodes shared through aliases
            raise ValueError(f"holds more than {MAX_VALUES:,} values once its YAML aliases are expanded; "
                             f"write the values out")
        raise ValueError(f"holds {size:,} values; a field may hold at most {MAX_VALUES:,}")
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"malformed value: {short(str(exc))}") from None
    for text in _texts(value):
        problem = character_problem(text)
        if problem:
            raise ValueError(problem)
    return value
