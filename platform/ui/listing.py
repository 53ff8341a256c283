"""Search, filters, sorting and pagination for list pages, from the query string.

A view declares which columns may be sorted and which filters exist; `ListQuery`
reads them from the request (ignoring anything else), and `paginate` runs the
statement through the normal session, so tenant scoping applies as everywhere.
"""
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import request
from sqlalchemy import Select, func

from ..extensions import db
from .polish import any_contains_word, folded_words

PER_PAGE_CHOICES = (25, 50, 100)


@dataclass
class ListQuery:
    q: str = ""
    sort: str = ""
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]
    filters: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, sortable: Mapping[str, object], default_sort: str, filters: tuple[str, ...] = (),
                     default_descending: bool = False) -> "ListQuery":
        args = request.args
        sort = args.get("sort", default_sort)
        if sort not in sortable:
            sort = default_sort
        direction = args.get("dir")
        descending = default_descending if direction not in ("asc", "desc") else direction == "desc"
        per_page = args.get("per_page", type=int) or PER_PAGE_CHOICES[0]
        if per_page not in PER_PAGE_CHOICES:
            per_page = PER_PAGE_CHOICES[0]
        return cls(
            q=(args.get("q") or "").strip()[:100], sort=sort, descending=descending,
            page=max(1, args.get("page", type=int) or 1), per_page=per_page,
            filters={name: args.get(name, "").strip() for name in filters if args.get(name, "").strip()},
        )

    def url_args(self, **changes) -> str:
        """The query string for this list with some parameters changed (for links)."""
        values = {"q": self.q, "sort": self.sort, "dir": "desc" if self.descending else "asc",
                  "page": self.page, "per_page": self.per_page, **self.filters}
        values.update(changes)
        return "?" + urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def sort_link(self, key: str) -> str:
        if key == self.sort:
            return self.url_args(dir="asc" if self.descending else "desc", page=1)
        return self.url_args(sort=key, dir="asc", page=1)

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    query: ListQuery

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def search_words(q: str) -> list[str]:
    return [w for w in q.split() if w][:5]


def search_clause(q: str, *columns):
    """Every word of `q` must appear in one of `columns`, ignoring case and diacritics
    ("lecka" and "ŁĘCKA" find "Łęcka"): one clause per word."""
    return [any_contains_word(columns, word) for word in folded_words(search_words(q))]


def sort_order(sortable: Mapping[str, object], query: ListQuery) -> list:
    """ORDER BY terms for the list's sort key; a key may name a tuple of columns (e.g. last, first name)."""
    columns = sortable[query.sort]
    columns = columns if isinstance(columns, tuple) else (columns,)
    return [column.desc() if query.descending else column.asc() for column in columns]


def paginate(statement: Select, query: ListQuery, sortable: Mapping[str, object],
             tiebreaker=None, scalars: bool = True, row_mapper: Callable | None = None,
             total: int | None = None) -> Page:
    """One page of `statement`; `total` is the number of rows when the caller knows it already."""
    order = sort_order(sortable, query)
    if tiebreaker is not None:
        order.append(tiebreaker)
    if total is None:
        total = db.session.execute(
            statement.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)).scalar_one()
    pages = max(1, math.ceil(total / query.per_page))
    page_number = min(query.page, pages)
    result = db.session.execute(
        statement.order_by(*order).limit(query.per_page).offset((page_number - 1) * query.per_page))
    items = list(result.scalars()) if scalars else list(result)
    if row_mapper:
        items = [row_mapper(item) for item in items]
    query.page = page_number
    return Page(items=items, total=total, page=page_number, per_page=query.per_page, query=query)
