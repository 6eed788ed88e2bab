"""The bad-input suite: every broken file in tests/bad-input/ gives the error it states, all in one
run, with exit code 1 and the previous output unchanged. And awkward but valid files build."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from conftest import REPO, snapshot
from newsarchive.cli import main

BAD = Path(__file__).with_name("bad-input")


def stated_errors(content: Path) -> list[str]:
    """``path:line: field: message`` for every broken file, as the file (or its sidecar) states it."""
    expected = []
    for file in sorted((content / "news").rglob("*.md")):
        name = file.relative_to(content.parent).as_posix()
        sidecar = file.with_name(file.name + ".expect")
        if sidecar.exists():
            statements = sidecar.read_text(encoding="utf-8").splitlines()
        else:
            statements = [line.split("# expect: ", 1)[1] for line in file.read_bytes().decode("ascii", "replace")
                          .splitlines() if line.startswith("# expect: ")]
        expected += [f"{name}:{statement}" for statement in statements]
    return expected


def test_every_broken_file_gives_the_error_it_states(site, capsys, monkeypatch):
    site.pair(2023, "good", "2023-01-01")
    args = ["--config", str(site.config), "--output", str(site.output), "--no-cache"]
    assert main(["build", "--content", str(site.content), *args], root=REPO) == 0
    before = snapshot(site.output)
    capsys.readouterr()

    content = site.root / "bad" / "content"
    shutil.copytree(BAD / "content", content)
    expected = stated_errors(content)
    assert len(expected) == 21   # malformed YAML, list title, invalid date, unknown key, duplicate
    #   slug, empty, GBK, Windows-1252, binary, a tag that is a path, billion laughs, an explicit
    #   YAML tag, a lone surrogate, control characters in a title and a body, 600 nested lists,
    #   20,000 '[', 10,000 tags, a year folder in look-alike digits, a date past the year 9999 in
    #   UTC, a year before 1000
    expected += make_unstorable(content / "news" / "2023")
    expected += make_slow_markdown(content / "news" / "2023")
    monkeypatch.chdir(content.parent)   # paths in messages are relative to the working folder
    started = time.perf_counter()
    assert main(["build", "--content", str(content), *args], root=REPO) == 1
    seconds = time.perf_counter() - started
    err = capsys.readouterr().err.splitlines()
    starts = [e for e in expected if isinstance(e, tuple)]   # (file:line: field: , how the message starts)
    whole = [e for e in expected if isinstance(e, str)]
    assert [e for e in err[:-1] if not e.startswith(tuple(where for where, _ in starts))] == sorted(whole)
    for where, message in starts:
        assert [e for e in err if e.startswith(where)] != [], where
        assert any(e.startswith(where + message) for e in err), (where, [e for e in err if e.startswith(where)])
    assert err[-1] == f"{len(expected)} errors; nothing was written, {site.output} is unchanged"
    assert snapshot(site.output) == before
    assert seconds < 30, f"the bad input took {seconds:.0f} s"   # minutes before the limits


def make_unstorable(folder: Path) -> list[str]:
    """Bad files git cannot or should not hold, made here: a FIFO (reading it would block for
    ever), a name with a line break, a link to itself, and a link to the folder it is in."""
    os.mkfifo(folder / "fifo.en.md")
    (folder / "evil\n.en.md").write_text('---\ntitle: "T"\ndate: 2023-01-01\n---\n', encoding="utf-8")
    (folder / "loop.en.md").symlink_to("loop.en.md")
    (folder / "up").symlink_to("..")
    rel = "content/news/2023"
    return [f"{rel}/evil\\n.en.md:1: path: the name holds a line break or control character; rename it",
            f"{rel}/fifo.en.md:1: file: is a FIFO (named pipe), not a file; remove it",
            f"{rel}/loop.en.md:1: file: is a symbolic link loop; remove it",
            f"{rel}/up:1: folder: is a link to a folder it is inside (a loop); remove it"]


# Bodies Python-Markdown renders in quadratic time (each took minutes or hours before it was
# counted: benchmarks/markup.py), written here rather than kept in git: (name, body, message start).
SLOW_MARKDOWN = [
    ("unclosed-tags", "<a " * 40_000, "the '<' without a closing '>' here"),
    ("unclosed-autolinks", "<http://a" * 20_000, "the '<' without a closing '>' here"),
    ("link-destinations", "[a](<" * 20_000, "the '(' after '](' without a matching ')'"),
    ("setext-run", "a\n=\n" * 20_000, "this paragraph holds so many heading, rule or fence lines"),
    ("headings", "## a\n\n" * 40_000, "this body has so many headings"),
    ("html-blocks", "<div>\n\n" * 40_000, "this body opens so many HTML blocks"),
    ("abbreviations", "".join(f"*[A{i}]: x\n" for i in range(5_000)) + "\n" + "A1 " * 10_000,
     "this body defines so many abbreviations"),
    ("footnotes", "".join(f"[^{i}]: y\n" for i in range(20_000)) + "\n" + "".join(f"x[^{i}] " for i in range(20_000)),
     "this body has so many footnotes"),
    ("dense-markup", "# a {#" * 10_000, "this paragraph holds more than 20,000 Markdown markup characters"),
    ("backslashes", "\\" * 40_000, "this paragraph holds more than 20,000 Markdown markup characters"),
]


def make_slow_markdown(folder: Path) -> list[str]:
    """Each body of SLOW_MARKDOWN, after a first paragraph: refused at its line 8 (the front matter
    takes lines 1-4, a blank line, the first paragraph and a blank line)."""
    expected = []
    for name, body, message in SLOW_MARKDOWN:
        (folder / f"{name}.en.md").write_text(f'---\ntitle: "{name}"\ndate: 2023-01-01\n---\n\nFirst.\n\n{body}',
                                              encoding="utf-8")
        expected.append((f"content/news/2023/{name}.en.md:8: body: ", message))
    return expected


def test_awkward_but_valid_files_build(site):
    news = site.content / "news" / "2024"
    news.mkdir(parents=True)
    (news / "bom.en.md").write_bytes("\ufeff---\ntitle: \"With a byte order mark\"\ndate: 2024-01-01\n---\n\nBody.\n"
                                     .encode("utf-8"))
    (news / "crlf.en.md").write_bytes(b'---\r\ntitle: "Windows line ends"\r\ndate: 2024-01-02\r\n'
                                      b'summary: "Two\r\n  lines"\r\n---\r\n\r\nFirst paragraph.\r\n\r\nSecond.\r\n')
    paragraph = "International cooperation between universities, 国际合作与交流。 " * 40 + "\n\n"
    big = paragraph * (5 * 1024 * 1024 // len(paragraph.encode()) + 1)
    (news / "large.en.md").write_text(f'---\ntitle: "A 5 MB item"\ndate: 2024-01-03\n---\n\n{big}', encoding="utf-8")
    rare = "𠮷野家 🎓🤝 𪚥 𰻝𰻝面 — 学术交流 🇧🇪"
    (news / "rare.zh.md").write_text(f'---\ntitle: "{rare}"\ndate: 2024-01-04\n---\n\n{rare}\n', encoding="utf-8")
    site.build()
    assert "With a byte order mark" in site.read("en/news/2024/bom/")
    crlf = site.read("en/news/2024/crlf/")
    assert "\r" not in crlf and "<p>Second.</p>" in crlf and "Two lines" in crlf
    large = site.read("en/news/2024/large/")
    assert len(large.encode()) > 5 * 1024 * 1024 and large.count("<p>") > 1000
    page = site.read("zh/news/2024/rare/")
    from lxml import html as lxml_html
    assert lxml_html.fromstring(page).xpath("string(//h1)") == rare and f"<title>{rare}" in page
    assert rare in site.read("zh/feed.xml") and rare in lxml_html.fromstring(site.read("zh/news/")).text_content()
