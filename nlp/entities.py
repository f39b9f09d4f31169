"""Organisations, regions, policy references, dates, document metadata and
newspaper articles: the first extraction pass, whose results give the later
passes (figures, goals, indicators) their context.

Order inside the pass: articles and document type first (they decide how the
document date is found), then regions (the document's own region completes
市财政局 -> 烟台市财政局), dates, organisations and policy references. The
entities are also set as spaCy ``doc.ents`` (ORG, GPE, LAW, DATE), longest
first, never overlapping, next to any entities already on the Doc.
"""
from __future__ import annotations

import functools

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

import corpora
from ingest.document import Document
from nlp import articles as articles_mod
from nlp import dates, doctype, metadata, orgs, policy_refs, regions
from nlp.items import Article, ArticleIndex, DocumentMeta, Entity
from nlp.metadata import Evidence

SPACY_LABELS = {"org": "ORG", "region": "GPE", "policy_ref": "LAW", "doc_number": "LAW", "date": "DATE"}
TOP = 1000  # a news article's top: the organisation introduced there is what it is about
HEAD = 400  # characters of the head where the issuing organisation is named
BUDGET_TYPES = ("budget", "unit_budget", "final_accounts")  # whose org is the department itself


@dataclass
class EntityResult:
    items: list[Entity] = field(default_factory=list)
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    articles: list[Article] = field(default_factory=list)


def _issuer(org_items: list[Entity], title: str, text: str, doc_type: str = "",
            first_article: Article | None = None) -> str:
    """The organisation that issues the document: one named in the title, else
    in the head (预算主管部门：...), else in the last lines (a notice's signature),
    else the most mentioned one."""
    named = [o for o in org_items if not o.attrs.get("role")]
    for o in named:
        if o.text in title:
            return o.canonical
    # a body whose decision the text carries out (党中央、国务院) issues nothing here
    named = _acting(named)
    if not named:
        return ""
    if doc_type == "news" and first_article is not None:
        # a news article has no issuer: take the organisation it is about
        about = _article_org([o for o in named if first_article.contains(o.start)],
                             [o for o in named if o.start < TOP])
        if about:
            return about
    head = [o for o in named if o.start < HEAD]
    endings = _issuer_endings().get(doc_type, ())
    for o in head:  # the first organisation of the kind that issues this type
        if endings and o.canonical.endswith(endings):
            return o.canonical
    if head:
        return head[0].canonical
    tail = [o for o in named if o.end > len(text) - 200]
    if tail:
        return tail[-1].canonical
    return Counter(o.canonical for o in named).most_common(1)[0][0]


def _acting(org_items: list[Entity]) -> list[Entity]:
    """The mentions that can be a document's or article's organisation: not roles
    (第三方机构) and not cited bodies (党中央、国务院关于…的决策部署, 《财政部关于…》)."""
    return [o for o in org_items if not o.attrs.get("role") and not o.attrs.get("cited")]


@functools.lru_cache(maxsize=1)
def _issuer_endings() -> dict[str, tuple[str, ...]]:
    """doc_type -> name endings of the organisations that issue it (corpora/entities/issuers.tsv)."""
    out = {}
    for line in corpora.read_lines("entities", "issuers.tsv"):
        doc_type, *endings = line.split("\t")
        out[doc_type] = tuple(e for e in endings if e)
    return out


def _article_org(mentions: list[Entity], top: list[Entity]) -> str:
    """The organisation an article is about: the most mentioned one inside it
    (``mentions``, in text order), mentions near the page top (``top``) counting
    double; ties go to the first mentioned."""
    inside = [o.canonical for o in mentions]
    if not inside:
        return ""
    weight = Counter(inside)
    weight.update(o.canonical for o in top if o.canonical in weight)
    return max(weight, key=lambda c: (weight[c], -inside.index(c)))


def _describe_articles(arts: list[Article], org_items: list[Entity],
                       region_items: list[Entity], page_region: str) -> None:
    """Give each article of a page with several its own organisation and region
    (the snow-clearing reports on a page about budgets are not about budgets).
    A local paper's article is about a place in its own region: such mentions
    win over places it only reports on (a donation to 甘肃)."""
    if len(arts) < 2:
        return
    named = _acting(org_items)
    top = [o for o in named if o.start < TOP]
    where = ArticleIndex(arts)  # each mention to its article once, not once per article
    orgs_in: dict[int, list[Entity]] = {}
    regions_in: dict[int, list[Entity]] = {}
    for items, groups in ((named, orgs_in), (region_items, regions_in)):
        for item in items:
            i = where(item.start)
            if i is not None:
                groups.setdefault(i, []).append(item)
    for i, article in enumerate(arts):
        article.org = _article_org(orgs_in.get(i, []), top)
        inside = regions_in.get(i, [])
        local = [r for r in inside if page_region in r.attrs.get("path", ())]
        article.region = (local or inside)[0].canonical if inside else ""


def _news_date(text: str, year: int | None) -> str | None:
    """A newspaper page's date: the latest month-day it mentions, in its year."""
    if not year:
        return None
    isos = [d.attrs["iso"] for d in dates.find_dates(text, None, year)
            if d.attrs.get("iso") and d.attrs["iso"].startswith(str(year))]
    return max(isos) if isos else None


def set_spacy_ents(doc: Doc, items: list[Entity]) -> None:
    """Put entities on ``doc.ents``: longest spans win, existing ents are kept
    where they do not overlap ours (spaCy forbids overlapping ents)."""
    spans: list[Span] = []
    for it in sorted(items, key=lambda i: (-(i.end - i.start), i.start)):
        label = SPACY_LABELS.get(it.type)
        if not label:
            continue
        span = doc.char_span(it.start, it.end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    taken: set[int] = set()
    chosen: list[Span] = []
    for span in list(doc.ents) + spans:  # existing first: never drop another pass's ents
        toks = set(range(span.start, span.end))
        if toks & taken:
            continue
        taken |= toks
        chosen.append(span)
    doc.ents = sorted(chosen, key=lambda s: s.start)


def analyse_text(document: Document) -> EntityResult:
    """All entities, metadata and articles of a Document (no spaCy needed)."""
    text = document.text
    title = document.title or ""
    arts = articles_mod.split_articles(text, title)
    cover = metadata.read_cover(text, title)
    doc_type = cover.doc_type or Evidence(doctype.classify(text, title)[0], "model")
    kind = str(doc_type.value)

    region_items = regions.find_regions(text)
    main = regions.main_region(region_items, title)
    head = text[:metadata.HEAD_CHARS]
    org = _document_org(cover, kind, head, text, title, region_items, main)
    region, region_path = _document_region(org, cover, main, head)
    region_items += regions.find_towns(text, main, {r.end for r in region_items})

    doc_date, year = dates.document_date(text, document.source, title)
    year_ev = cover.year or _issue_year(kind, head) or Evidence(year, "body" if year else "")
    if doc_date is None and kind == "news":
        doc_date = _news_date(text, year)
    # a law's 上一年/本年度 are generic, not years of the text
    date_items = dates.find_dates(text, doc_date, None if kind == "law" else year)

    org_items = orgs.find_orgs(text, region_path)
    numbers = policy_refs.find_doc_numbers(text)
    refs = policy_refs.find_policy_refs(text, numbers)
    if not org.value:
        org = _fallback_org(org_items, title, text, kind, arts, region_path)
        if not region.value:  # a national issuer found only now (国务院) still gives 全国
            found, path = metadata.org_region(str(org.value))
            if found == "全国":
                region, region_path = Evidence(found, org.source), path

    _describe_articles(arts, org_items, region_items, main.canonical if main else "")
    items: list[Entity] = [*region_items, *date_items, *org_items, *numbers, *refs]
    if document.format == "pdf":
        for it in items:
            it.page = document.page_at(it.start)
    fields = {"doc_type": doc_type, "org": org, "region": region, "year": year_ev}
    meta = DocumentMeta(
        title=title,
        doc_type=kind,
        org=str(org.value or ""),
        region=str(region.value or ""),
        region_path=region_path,
        year=year_ev.value if isinstance(year_ev.value, int) else None,
        date=doc_date,
        sources={k: v.source for k, v in fields.items() if v.value and v.source},
    )
    return EntityResult(items=sorted(items, key=lambda i: (i.start, i.end, i.type)), meta=meta,
                        articles=arts)


def _document_org(cover: metadata.CoverFacts, kind: str, head: str, text: str, title: str,
                  region_items: list[Entity], main: Entity | None) -> Evidence:
    """The issuing organisation from the cover, then a law's issuer line, then a
    budget's body, then a national document's known issuer (财政部 for 全国财政收支)."""
    if cover.org is not None:
        return cover.org
    hint = cover.region or (list(main.attrs["path"]) if main else [])
    if kind == "law":
        found = metadata.issuer_org(head, cover.region or [])
        if found:
            return Evidence(found, "issuer")
    if kind in BUDGET_TYPES:
        found = metadata.body_org(text, hint)
        if found:
            return Evidence(found, "body")
    national = metadata.national_issuers().get(kind)
    if national and not cover.region and any("全国" in line for line in metadata.head_lines(head)):
        return Evidence(national, "body")
    return Evidence("", "")


def _fallback_org(org_items: list[Entity], title: str, text: str, kind: str,
                  arts: list[Article], region_path: list[str]) -> Evidence:
    """The issuer among the organisations the text names (the speaker line of a
    work report, a notice's signature), canonicalised."""
    found = _issuer(org_items, title, text, kind, arts[0] if arts else None)
    if not found:
        return Evidence("", "")
    in_head = any(o.canonical == found and (o.start < HEAD or o.text in title) for o in org_items)
    return Evidence(metadata.canonical_org(found, region_path) or found,
                    "issuer" if in_head else "body")


def _document_region(org: Evidence, cover: metadata.CoverFacts, main: Entity | None,
                     head: str) -> tuple[Evidence, list[str]]:
    """The region of the issuer, else the one the title starts with, else the body's
    clear main region; 全国 for national issuers."""
    region, path = metadata.org_region(str(org.value or ""))
    if region:
        return Evidence(region, org.source), path
    if cover.region:
        return Evidence(cover.region[-1], "title"), list(cover.region)
    if main is not None:
        return Evidence(main.canonical, "body"), list(main.attrs["path"])
    return Evidence("", ""), []


def _issue_year(kind: str, head: str) -> Evidence | None:
    """A law's year: the latest passing or revision in its head."""
    year = metadata.issue_year(head) if kind == "law" else None
    return Evidence(year, "issuer") if year else None


def extract(doc: Doc, document: Document) -> EntityResult:
    """Entities of the document, its metadata and (for newspaper pages) its articles."""
    result = analyse_text(document)
    set_spacy_ents(doc, result.items)
    return result
