"""Property tests (hypothesis): arbitrary front matter, bodies and file names given to the loader
never crash it with anything but ContentErrors (each naming file, line and field), and a build of
whatever loads writes nothing outside its output folder."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, TAGS
from newsarchive.content import load_content
from newsarchive.fields import FIELDS
from newsarchive.errors import ContentErrors
from newsarchive.pipeline import Project, build

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
                    st.sampled_from(["..", "../../etc/passwd", "/abs", "a\\b", "a\x00b", "<script>x</script>",
                                     "visits", "BE", "en", "zh", "2023-01-01", "&amp;"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=3), max_leaves=8)
keys = st.one_of(st.sampled_from(sorted(FIELDS)), st.text(max_size=12))
front_matter = st.dictionaries(keys, values, max_size=8)
raw_front = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
names = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
                min_size=1, max_size=40)


def write(root: Path, name: str, text: str) -> None:
    folder = root / "news" / "2023"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "tags.yaml").write_text(TAGS, encoding="utf-8")
    (folder / name).write_text(text, encoding="utf-8")


def load_one(name: str, text: str) -> None:
    """Write one news file into a fresh content folder and load it: content, or errors that each
    name file, line and field. Anything else (a traceback) fails the test."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        try:
            write(root, name, text)
        except OSError:   # a name the file system refuses (too long, say) cannot reach the loader
            return
        try:
            load_content(root, root.parent)
        except ContentErrors as exc:
            assert exc.errors
            for error in exc.errors:
                assert error.path.startswith("content/") and error.line >= 1 and error.field and error.message
                assert str(error).startswith(f"{error.path}:{error.line}: {error.field}: ")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=front_matter, body=st.text(max_size=200), lang=st.sampled_from(["en", "zh", "fr"]))
def test_any_front_matter_gives_content_or_content_errors(fields, body, lang):
    load_one(f"item.{lang}.md", "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body)


@settings(max_examples=200, deadline=None)
@given(front=raw_front)
def test_any_text_between_the_fences_gives_content_or_content_errors(front):
    load_one("item.en.md", f"---\n{front}\n---\nBody\n")


@settings(max_examples=200, deadline=None)
@given(name=names)
def test_any_file_name_gives_content_or_content_errors(name):
    load_one(name + ".en.md", '---\ntitle: "T"\ndate: 2023-01-01\n---\n')


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slug=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,2}", fullmatch=True).filter(lambda s: not s.isdigit()),
       title=st.text(min_size=1, max_size=30).filter(str.strip),
       tags=st.lists(st.sampled_from(["visits", "agreements", "../x", "/etc"]), max_size=3, unique=True),
       countries=st.lists(st.sampled_from(["BE", "VN", "../X", "C:\\"]), max_size=2, unique=True))
def test_builds_write_only_inside_the_output_folder(slug, title, tags, countries):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = root / "content"
        fields = {"title": title, "date": date(2023, 5, 1), "tags": tags, "countries": countries}
        write(content, f"{slug}.en.md", "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\nBody\n")
        before = files_under(root)
        try:
            build(Project.at(REPO, content=content, config_file=root / "missing.yaml"), root / "output",
                  search=False)
        except ContentErrors:
            assert files_under(root) == before
            return
        assert {f for f in files_under(root) if not f.startswith("output")} == before
        assert (root / "output" / "en" / "news" / "2023" / slug / "index.html").is_file()


@settings(max_examples=300, deadline=None)
@given(code=st.integers(min_value=0, max_value=0x10FFFF), field=st.sampled_from(["title", "summary", "source"]))
def test_any_escaped_character_in_front_matter_gives_content_or_content_errors(code, field):
    """Double-quoted YAML escapes reach characters no file can hold (lone surrogates, controls):
    content that can be published, or an error on the field's line."""
    title = "" if field == "title" else 'title: "T"\n'
    load_one("item.en.md", f'---\n{title}{field}: "a\\U{code:08x}b"\ndate: 2023-01-01\n---\nBody\n')


def _compose(text: str, loader) -> tuple:
    """What the loader takes from front matter: each key, its line and its value (or the message
    about it), or the errors composing it gave."""
    from newsarchive import yamlread
    saved, yamlread.FastLoader = yamlread.FastLoader, loader
    try:
        composer, node = yamlread.compose(text, "f.md")
    except ContentErrors as exc:
        return ("errors", [str(e) for e in exc.errors])
    finally:
        yamlread.FastLoader = saved
    items, errors = yamlread.mapping_items(node, "f.md", 1, "front matter")
    values = []
    for key, line, value_node in items:
        try:
            values.append((key, line, repr(yamlread.construct(composer, value_node))))
        except ValueError as exc:
            values.append((key, line, str(exc)))
    return ("values", values, [str(e) for e in errors])


@settings(max_examples=int(__import__("os").environ.get("YAML_EXAMPLES", 300)), deadline=None)
@given(front=st.one_of(raw_front, front_matter.map(lambda f: yaml.safe_dump(f, allow_unicode=True))))
def test_libyaml_composes_exactly_what_the_python_parser_does(front):
    """Front matter is composed by libyaml (yamlread.FastLoader) where it can be: the same keys,
    lines, values and errors as with the pure-Python parser."""
    from newsarchive.yamlread import FastLoader, Loader
    assert FastLoader is not Loader   # PyYAML was built with libyaml
    assert _compose(front, FastLoader) == _compose(front, Loader)
