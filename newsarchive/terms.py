"""The kinds of terms an item is filed under, declared once.

Indexes, URLs, the page plan, search filters and the templates all follow this list: each kind
gets an overview page (``/L/<plural>/``), a paginated listing and a feed per term
(``/L/<plural>/<term>/``), chips on articles and a search filter. Interface strings follow the
names: ``<plural>`` (menu), ``<plural>_heading``, ``<plural>_intro``, ``<plural>_label`` (on
articles), ``<name>_heading`` (a term's page), ``filter_<name>``. A term page includes
``templates/term-<name>.html`` when it exists, for what that kind shows about a term.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TermKind:
    name: str               # "tag": the kind of a term's page, and the key of its strings
    plural: str             # "tags": the Article field, the URL segment, the overview's strings
    names: str              # where display names come from: "cldr" (territories) or a vocabulary's plural
    grouped_by: str | None = None   # the overview groups terms by this kind (institutions by country)

    def segment(self, term: str) -> str:
        """The term as a URL segment: slugs as they are, country codes in lower case."""
        return term.lower()


TERM_KINDS: tuple[TermKind, ...] = (
    TermKind("institution", "institutions", names="institutions", grouped_by="country"),
    TermKind("country", "countries", names="cldr"),
    TermKind("tag", "tags", names="tags"),
)
KINDS = {kind.name: kind for kind in TERM_KINDS}


def terms_of(article, kind: TermKind) -> tuple[str, ...]:
    return getattr(article, kind.plural)
