"""bench.goal_lobo: every variant stores its fold probabilities in a file of its own.

Why: the store's name is the variant's name with non-word characters folded; session 16's "two-pass+" and
"two-pass" folded to the same file, so the second run overwrote the first and both reported its numbers.
"""
from bench import goal_lobo


def test_variants_have_distinct_stores() -> None:
    slugs = [goal_lobo._slug(name) for name in goal_lobo.FAMILIES]
    assert len(set(slugs)) == len(slugs)


def test_stacked_variants_keep_their_context() -> None:
    assert goal_lobo.FAMILIES["all rows, two-pass, veto only"].context is goal_lobo._context_p
    assert goal_lobo.FAMILIES["all rows, two-pass wide, veto only"].context is goal_lobo._context_p2
