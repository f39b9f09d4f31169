"""nlp.regions.WordScanner finds what the trie regex finds (leftmost, longest,
non-overlapping), on word lists with prefixes and on the real gazetteer."""
from __future__ import annotations

import re
from pathlib import Path

from nlp.regions import WordScanner, gazetteer, trie_pattern

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def regex_matches(words: list[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(trie_pattern(words), text)]


def test_longest_word_wins_and_matches_do_not_overlap() -> None:
    words = ["烟台", "烟台市", "台市", "市财政", "财政局", "莱山区"]
    text = "烟台市财政局和烟台莱山区，烟台台市财政"
    assert WordScanner(words).scan(text) == regex_matches(words, text)
    assert WordScanner(words).scan(text)[:2] == [(0, 3, "烟台市"), (3, 6, "财政局")]


def test_gazetteer_scan_equals_its_regex_on_real_texts() -> None:
    gz = gazetteer()
    texts = [f.read_text(encoding="utf-8") for f in sorted(SAMPLES.iterdir()) if f.suffix in (".txt", ".md")]
    assert texts
    for text in texts:
        found = gz.names.scan(text)
        assert found == [(m.start(), m.end(), m.group()) for m in gz.regex.finditer(text)]
    assert sum(len(gz.names.scan(t)) for t in texts) > 20


def test_org_rules_finditer_equals_the_regex_on_real_texts() -> None:
    """Trying the organisation regex only where a first word starts finds the
    same organisations as scanning every position."""
    from nlp.orgs import rules

    r = rules()
    texts = [f.read_text(encoding="utf-8") for f in sorted(SAMPLES.iterdir()) if f.suffix in (".txt", ".md")]
    texts.append("烟台市财政局、莱山区教育局和中共烟台市委办公室，省财政厅与第三方评价机构")
    found = [[(m.start(), m.end(), m.group()) for m in r.finditer(t)] for t in texts]
    assert found == [[(m.start(), m.end(), m.group()) for m in r.regex.finditer(t)] for t in texts]
    assert len(found[-1]) >= 4


def test_offsets_are_characters_and_starts_include_overlaps_and_single_characters() -> None:
    """Offsets count characters, also after characters outside the Basic
    Multilingual Plane and after ASCII; ``starts`` reports every position where
    some word starts, overlapping ones too, and the given characters."""
    words = ["烟台", "烟台市", "台市", "财政局"]
    text = "𠀀a烟台市财政局。县𠀁烟台"
    scanner = WordScanner(words, "县")
    assert scanner.scan(text) == regex_matches(words, text) == [(2, 5, "烟台市"), (5, 8, "财政局"),
                                                               (11, 13, "烟台")]
    assert scanner.starts(text) == [2, 3, 5, 9, 11]
    assert WordScanner([]).scan(text) == [] and WordScanner([], "县").starts(text) == [9]
