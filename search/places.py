"""Region and org filters that follow the administrative map and the org tree.

A stored document carries one ``region`` (its most specific place, e.g. 普陀区)
and a ``region_path`` (上海市 > 普陀区); items carry the region and org of their
document or article. Users think in the map: 上海市 should find the 普陀区
budget, 烟台 should mean 烟台市, and 万里街道 (a subdistrict, which is no
region value of its own) should find the subdistrict office's budget. So an
equality filter on ``region`` or ``org`` is rewritten into an ``in`` filter over
the *indexed* values it stands for, before it reaches a backend:

- region: the names the query matches (exactly; else as a prefix, 烟台 ->
  烟台市; else inside a name), and, with ``include_children``, every indexed
  region whose path passes through one of them. A name no region has is tried
  against the orgs (万里街道 -> 上海市普陀区人民政府万里街道办事处).
- org: the exact name, else the names it starts (烟台市 -> 烟台市财政局 ...),
  else the names containing it; with ``include_children`` an exact name also
  takes the orgs below it in the name tree (上海市普陀区人民政府 ->
  上海市普陀区人民政府万里街道办事处).

Each rewrite returns a :class:`PlaceMatch` whose :meth:`note` tells the user
what the filter matched, or that nothing did. Both backends answer ``in``
filters already, so neither needs a second implementation. The indexed values
are read through the backend's public methods and cached per backend while the
store is unchanged (:mod:`search.cache`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from search.backend import MAX_LIMIT, Backend, Filter, ItemQuery
from search.cache import StoreCache

PLACE_FIELDS = ("region", "org")
NOTE_NAMES = 5  # names listed in a note before "等 N 个"


@dataclass
class Places:
    """Indexed region and org values; each region with the paths it was seen under."""

    region_paths: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    orgs: set[str] = field(default_factory=set)

    def add_region(self, name: str | None, path: Any = None) -> None:
        if not name:
            return
        chain = tuple(p for p in (path or []) if isinstance(p, str) and p)
        if not chain or chain[-1] != name:
            chain = (*chain, name)
        self.region_paths.setdefault(name, set()).add(chain)

    def region_names(self) -> set[str]:
        """Every region value and every name on a region's path."""
        return {n for paths in self.region_paths.values() for p in paths for n in p}


@dataclass(frozen=True)
class PlaceMatch:
    """What one region/org filter was resolved to."""

    field: str  # region | org
    query: str
    matched: tuple[str, ...]  # the names the query stands for
    values: tuple[str, ...]  # indexed values the filter keeps (matched + children)
    how: str  # exact | prefix | contains | org | none
    include_children: bool = True

    def note(self) -> str:
        """One line for the page: what the filter matched, or that nothing did."""
        label = "地区" if self.field == "region" else "单位"
        if self.how == "none":
            return (f"{label}“{self.query}”没有匹配的{label}（no {self.field} matches）："
                    "请检查名称或从建议中选择")
        names = _short_list(self.matched)
        extra = len(set(self.values) - set(self.matched))
        if self.how == "org":
            return f"地区中没有“{self.query}”，按单位名称匹配 matched as org：{names}"
        how = {"exact": "", "prefix": "（按名称开头 prefix）",
               "contains": "（按名称包含 contains）"}[self.how]
        below = f"，含下级 {extra} 个 with {extra} below" if extra else ""
        if self.how == "exact" and not extra:
            return ""
        return f"{label}“{self.query}”{how}匹配 matched：{names}{below}"


def _short_list(names: tuple[str, ...]) -> str:
    shown = "、".join(names[:NOTE_NAMES])
    return shown + (f" 等 {len(names)} 个" if len(names) > NOTE_NAMES else "")


_places = StoreCache(size=1)


def indexed_places(backend: Backend) -> Places:
    """The region and org values of ``backend`` (documents and items), kept
    until the store changes (its generation, :mod:`search.cache`; both stores
    have one). A store without a generation reads them on every call."""
    return _places.get(backend, "places", lambda: _collect(backend))


def _collect(backend: Backend) -> Places:
    from nlp.regions import gazetteer

    places = Places()
    offset = 0
    while True:
        rows, total = backend.list_documents(MAX_LIMIT, offset)
        for r in rows:
            places.add_region(r.get("region"), r.get("region_path"))
            if r.get("org"):
                places.orgs.add(r["org"])
        offset += len(rows)
        if not rows or offset >= total:
            break
    gz = gazetteer()
    for name in ("region", "org"):  # article-level values of items (newspaper pages)
        for g in backend.aggregate_items(ItemQuery(), name, "count"):
            key = g.get("key")
            if not key or not isinstance(key, str):
                continue
            if name == "org":
                places.orgs.add(key)
            elif key not in places.region_paths:
                divs = [d for d in gz.by_name.get(key, []) if d.name == key]
                places.add_region(key, [d.name for d in gz.path(divs[0])] if divs else None)
    return places


def _match(query: str, names: set[str]) -> tuple[list[str], str]:
    """Names equal to ``query``, else starting with it, else containing it."""
    for how, test in (("exact", lambda n: n == query), ("prefix", lambda n: n.startswith(query)),
                      ("contains", lambda n: query in n)):
        found = sorted(n for n in names if test(n))
        if found:
            return found, how
    return [], "none"


def resolve_region(query: str, places: Places, include_children: bool = True) -> PlaceMatch:
    from nlp.regions import gazetteer

    names = places.region_names()
    matched, how = _match(query, names)
    if how != "exact":  # a short form of the division list (烟台 -> 烟台市) beats a prefix
        full = sorted({d.name for d in gazetteer().by_name.get(query, []) if d.name in names})
        if full:
            matched, how = full, "exact" if len(full) == 1 and full[0] == query else "prefix"
    if not matched:
        orgs, org_how = _match(query, places.orgs)
        if orgs and org_how != "exact":
            return PlaceMatch("org", query, tuple(orgs), tuple(orgs), "org", include_children)
        return PlaceMatch("region", query, (), (), "none", include_children)
    wanted = set(matched)
    values = set(matched) & set(places.region_paths)
    if include_children:
        values |= {v for v, paths in places.region_paths.items()
                   if any(wanted & set(p) for p in paths)}
    return PlaceMatch("region", query, tuple(matched), tuple(sorted(values)), how,
                      include_children)


def resolve_org(query: str, places: Places, include_children: bool = True) -> PlaceMatch:
    matched, how = _match(query, places.orgs)
    if not matched:
        return PlaceMatch("org", query, (), (), "none", include_children)
    values = set(matched)
    if how == "exact" and include_children:
        values |= {o for o in places.orgs if o.startswith(query)}
    return PlaceMatch("org", query, tuple(matched), tuple(sorted(values)), how, include_children)


def resolve_places(backend: Backend, filters: list[Filter], include_children: bool = True
                   ) -> tuple[list[Filter], list[PlaceMatch]]:
    """``filters`` with each ``region``/``org`` equality filter replaced by an
    ``in`` filter over the indexed values it stands for, and what each matched.
    A filter that matches nothing stays as it is (so the result is empty and
    the match's note says why)."""
    if not any(f.field in PLACE_FIELDS and (f.op or "eq") == "eq" and isinstance(f.value, str)
               for f in filters):
        return list(filters), []
    places = indexed_places(backend)
    out: list[Filter] = []
    matches: list[PlaceMatch] = []
    for f in filters:
        if f.field not in PLACE_FIELDS or (f.op or "eq") != "eq" or not isinstance(f.value, str):
            out.append(f)
            continue
        query = f.value.strip()[:100]
        resolve = resolve_region if f.field == "region" else resolve_org
        m = resolve(query, places, include_children)
        matches.append(m)
        out.append(Filter(m.field, "in", list(m.values)) if m.values else f)
    return out, matches
