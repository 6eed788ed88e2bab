"""Interface strings per language, and dates and territory names from CLDR (via Babel)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Mapping

import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_datetime_format, get_month_names

from .config import LANGUAGES
from .errors import ContentError, ContentErrors


@dataclass(frozen=True)
class Language:
    code: str          # URL segment, <html lang>, hreflang and Pagefind index: one code everywhere
    locale: str        # CLDR locale for dates and names
    og_locale: str     # Open Graph locale


LANGUAGE_INFO = {
    "en": Language("en", "en_GB", "en_GB"),
    "zh": Language("zh", "zh_Hans_CN", "zh_CN"),
}


class Catalogue:
    """One language's interface strings, read from ``theme/i18n/<lang>.yaml``."""

    def __init__(self, lang: str, strings: Mapping[str, str]):
        self.lang = lang
        self.strings = dict(strings)
        self._locale = Locale.parse(LANGUAGE_INFO[lang].locale)
        self._dates: dict[date, str] = {}   # formatting a date with Babel costs ~40 µs; pages repeat them

    def text(self, key: str, **values) -> str:
        try:
            template = self.strings[key]
        except KeyError:
            raise KeyError(f"interface string '{key}' is missing from the '{self.lang}' catalogue") from None
        return template.format(**values) if values else template

    def count(self, key: str, n: int, **values) -> str:
        """A counted phrase, with the plural form CLDR gives for ``n`` in this language."""
        form = self._locale.plural_form(n)
        key_form = f"{key}_{form}" if f"{key}_{form}" in self.strings else f"{key}_other"
        return self.text(key_form, n=n, **values)

    def date(self, d: date) -> str:
        found = self._dates.get(d)
        if found is None:
            found = self._dates[d] = format_date(d, "long", locale=self._locale)
        return found

    def moment(self, at: datetime, timed: bool) -> str:
        """A date, or a date and time joined as CLDR joins them in this language ("24 February
        2023 at 10:30", "2023年2月24日 10:30")."""
        day = format_date(at.date(), "long", locale=self._locale)
        if not timed:
            return day
        clock = format_time(at, "short", locale=self._locale)
        pattern = str(get_datetime_format("long", locale=self._locale)).replace("'", "")
        return pattern.replace("{1}", day).replace("{0}", clock)

    def month(self, year: int, month: int) -> str:
        return format_skeleton("yMMMM", date(year, month, 1), locale=self._locale)

    def day(self, d: date) -> str:
        """A day within a month or year the page already names: "24 Feb" / "2月24日"."""
        return format_skeleton("MMMd", d, locale=self._locale)

    def month_alone(self, month: int, width: str = "wide") -> str:
        """A month's name on its own (a table's column): "Feb" / "2月" abbreviated."""
        return get_month_names(width, context="stand-alone", locale=self._locale)[month]

    def country(self, code: str) -> str:
        return self._locale.territories.get(code.upper(), code)


def load_catalogues(folder: Path) -> dict[str, Catalogue]:
    """Read every language's catalogue; a missing file or a key missing in one language is an error."""
    errors: list[ContentError] = []
    raw: dict[str, dict] = {}
    for lang in LANGUAGES:
        path = folder / f"{lang}.yaml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            errors.append(ContentError(str(path), 1, "catalogue", str(exc)))
            continue
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            errors.append(ContentError(str(path), 1, "catalogue", "must map keys to texts"))
            continue
        raw[lang] = data
    all_keys = set().union(*(d.keys() for d in raw.values())) if raw else set()
    for lang, data in raw.items():
        for key in sorted(all_keys - data.keys()):
            errors.append(ContentError(str(folder / f"{lang}.yaml"), 1, key, "missing in this language"))
    if errors:
        raise ContentErrors(errors)
    return {lang: Catalogue(lang, raw[lang]) for lang in LANGUAGES}
