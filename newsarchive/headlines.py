"""Chinese headlines that wrap between words, never inside one.

A browser breaks Chinese text between any two characters, so a headline can end a line with 召
and start the next with 开. Chinese news sites keep words whole; here a segmenter (jieba's
dictionary, through rjieba: compiled, its dictionary inside the wheel, nothing cached on disk)
finds the word boundaries at build time, the title is written with ``<wbr>`` there, and the
stylesheet's ``word-break: keep-all`` lets the browser break only at those. Transliterated names
(霍赫马滕斯, 阿卜杜拉赫曼诺夫), which the dictionary cuts into pieces, are kept whole: neighbouring
pieces made only of the characters Chinese uses to write foreign names are one word.
"""
from __future__ import annotations

import re
from functools import lru_cache

import rjieba
from markupsafe import Markup, escape

from .searchtext import HAN

_HAN = re.compile(f"[{HAN}]")
OPENING = "“‘「『（《〈【"    # a line may start with these ...
CLOSING = "”’」』）》〉】，。、：；！？"    # ... and end with these
# Characters of the standard transliteration tables (Xinhua's) that rarely begin ordinary words.
TRANSLITERATION = set(
    "阿埃艾爱安昂奥巴拜班邦鲍贝本彼毕宾波伯博布查达戴丹德迪蒂丁杜多厄恩法范菲芬费弗福盖甘戈格古哈海汉豪赫亨"
    "霍基吉加贾杰金卡凯坎柯科克肯库夸奎拉莱赖兰朗劳勒雷黎里利莉林琳卢鲁伦罗洛马迈麦曼梅门蒙米莫默穆纳娜奈南内"
    "尼宁纽努诺欧帕派潘佩彭皮珀普奇齐乔切琴丘萨塞桑瑟森沙尚舍什施舒斯松苏索塔泰坦汤唐特滕托瓦万威韦维温沃乌西"
    "希谢辛休雅亚扬耶伊尤扎泽詹兹卓佐尔夫姆罕卜曼茨蒂廷")
LONGEST_NAME = 10   # pieces are joined up to this many characters


def _is_name_piece(word: str) -> bool:
    return bool(word) and all(ch in TRANSLITERATION for ch in word)


def words(title: str) -> list[str]:
    """The title cut at the word boundaries a line may break at (joined, they are the title)."""
    pieces: list[str] = []
    for word in rjieba.cut(title):
        last = pieces[-1] if pieces else ""
        if _is_name_piece(word) and _is_name_piece(last) and len(last) + len(word) <= LONGEST_NAME \
                and (len(word) > 1 or len(last) > 1):
            pieces[-1] = last + word
        else:
            pieces.append(word)
    return pieces


@lru_cache(maxsize=65536)   # a title is shown on many pages (lists, years, related items): cut once
def headline_html(title: str, lang: str) -> Markup:
    """The title as HTML: for Chinese, ``<wbr>`` at each boundary between two Chinese words, and
    before opening and after closing punctuation (not inside 2023年 or VUB合作, nor before a
    comma), wrapped in a span that keeps the words
    whole; other languages are the title, escaped."""
    if lang != "zh" or not _HAN.search(title):
        return escape(title)
    out: list[str] = []
    previous = ""
    for word in words(title):
        if previous and (_HAN.match(previous[-1]) or previous[-1] in CLOSING) \
                and (_HAN.match(word[0]) or word[0] in OPENING):
            out.append("<wbr>")
        out.append(str(escape(word)))
        previous = word
    return Markup(f'<span class="words">{"".join(out)}</span>')
