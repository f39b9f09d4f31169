"""The rule and vocabulary files of the entity pass load and are consistent."""
from __future__ import annotations

import re

import pytest

import corpora

WORD_LISTS = [
    ("entities", "org_parties.txt"), ("entities", "org_roles.txt"), ("entities", "org_national.txt"),
    ("entities", "org_level_words.txt"), ("entities", "org_government_compounds.txt"),
    ("entities", "docnum_prefix_stop.txt"), ("entities", "policy_title_words.txt"),
    ("entities", "day_time_words.txt"), ("regions", "region_short_stop.txt"),
    ("regions", "short_suffixes.txt"), ("regions", "town_head_stop.txt"),
]


@pytest.mark.parametrize("parts", WORD_LISTS)
def test_word_lists_have_no_duplicates(parts):
    words = corpora.read_lines(*parts)
    assert words, parts
    assert len(words) == len(set(words)), [w for w in words if words.count(w) > 1]


def test_org_functions_map_to_full_forms():
    seen = set()
    for line in corpora.read_lines("entities", "org_functions.tsv"):
        surface, *canon = line.split("\t")
        assert surface not in seen, surface
        seen.add(surface)
        if canon and canon[0]:
            assert len(canon[0]) >= len(surface) - 1  # a full form is not shorter than its abbreviation


def test_rule_regexes_compile():
    for line in corpora.read_lines("entities", "article_rules.tsv"):
        kind, rx = line.split("\t", 1)
        re.compile(rx)
    rel = dict(line.split("\t") for line in corpora.read_lines("entities", "relative_years.tsv"))
    assert rel["今年"] == "0" and rel["上年"] == "-1"
