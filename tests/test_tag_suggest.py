"""Proposed rules from hand-labelled pages: weighed against the whole site, not only the labels."""

from __future__ import annotations

import re
from dataclasses import replace

import yaml

from site_builder.core.taxonomy import Rule, TagDef, Taxonomy
from site_builder.ingest.tags.site_phrases import SitePages
from site_builder.ingest.tags.suggest import Figures, Labelled, examine, suggest
from site_builder.ingest.tags.tagger import Tagger

MISSED = [  # a person tagged these `training`; the rules gave them nothing
    "Our optimizer keeps the ability to train at scale. Code: https://github.com/lab/opt",
    "A sharper optimizer, and the ability to resume. See https://github.com/lab/sharp",
    "The optimizer state halves memory; the ability to shard it. https://github.com/lab/half",
]
ELSEWHERE = [  # other pages of the site: "ability" is everywhere, "optimizer" is not
    *[f"Paper {n} on retrieval shows the ability of agents to plan." for n in range(10)],
    "An optimizer for training runs at scale.",
    *[f"Paper {n} on decoding speed." for n in range(6)],
]


TRAINING = TagDef("training", "Training", "how models are trained")
RETRIEVAL = TagDef("retrieval", "Retrieval", "retrieval")


def _suggest(training: TagDef = TRAINING) -> list[str]:
    tagger = Tagger.of(Taxonomy((training, RETRIEVAL)))
    labelled = [Labelled("", text, frozenset({"training"})) for text in MISSED]
    site = SitePages.of(
        [("", text, frozenset({"training"})) for text in MISSED]
        + [
            ("", text, frozenset({"training"} if "optimizer" in text else {"retrieval"}))
            for text in ELSEWHERE
        ]
    )
    return [p.line() for p in suggest(tagger, labelled, examine(tagger, labelled), "training", site)]


def test_a_phrase_common_across_the_site_or_from_a_link_is_not_proposed() -> None:
    lines = _suggest()
    # One "optimizer" in an abstract scores 1 of the 3 the tag needs: only the decisive
    # rule (the threshold a match) finds the misses, so that is the one proposed.
    assert lines[0].startswith(r"  add rule  - {pattern: '\boptimizer\b', title: 3, abstract: 3}")
    rule = lines[0].split("add rule", 1)[1].split("#", 1)[0]
    assert yaml.safe_load(f"rules:\n  {rule.strip()}\n") == {  # pastes into a tag's rules
        "rules": [{"pattern": r"\boptimizer\b", "title": 3, "abstract": 3}]
    }
    assert lines[0].endswith(
        "# precision – → 1.00, recall 0.00 → 1.00 on 3 labelled pages; finds 3 of 3 missed; "
        "in 4 of the site's 20 unlabelled pages (4 tagged training now): gives 4 of them training"
    )
    proposed = [re.search(r"pattern: '\\b(.+?)\\b'", line).group(1) for line in lines]  # type: ignore[union-attr]
    assert "ability" not in proposed  # on all three, but also on ten pages without the tag
    assert not {"github", "https", "lab", "com"} & set(proposed)


def test_a_proposal_says_what_it_does_to_the_rest_of_the_site() -> None:
    """A reviewer's accepted rule tagged 13 unlabelled pages where the line implied 9, and
    took another tag off one (max_tags): the effect is now counted as ingest would tag."""
    tagger = Tagger.of(Taxonomy((TRAINING, RETRIEVAL), max_tags=1))
    others = SitePages.of(
        [
            (
                "A Self-Optimizer",
                "Agents use a self-optimizer for retrieval.",
                frozenset(),
            ),  # RE2 matches inside
            (
                "Retrieval at Scale",
                "An optimizer tunes another optimizer of the index.",
                frozenset({"retrieval"}),
            ),
            ("Decoding", "Nothing about it.", frozenset()),
        ]
    )
    rule = Rule(r"\boptimizer\b", title=3, abstract=3)
    assert others.effect(tagger, rule, "training") == (2, 2, 0)
    retrieval = replace(RETRIEVAL, rules=(Rule(r"\bretrieval\b", title=3, abstract=1),))
    tagger = Tagger.of(Taxonomy((TRAINING, retrieval), max_tags=1))
    assert others.effect(tagger, rule, "training") == (2, 2, 1)  # max_tags 1: retrieval goes from one


def test_the_weaker_rule_is_proposed_when_it_finds_the_misses() -> None:
    """With the tag two points short, a supporting phrase (1 point a match) is enough."""
    near = replace(TRAINING, rules=(Rule(r"\bscale|memory|resume\b", abstract=2),))
    lines = _suggest(near)
    assert lines[0].startswith(r"  add rule  - {pattern: '\boptimizer\b', title: 4, abstract: 1}")


def test_a_rule_the_tag_has_is_not_proposed_again() -> None:
    """An accepted rule that finds too little is not proposed twice: adding it again would
    double it, which is a weight to raise by hand."""
    accepted = replace(TRAINING, rules=(Rule(r"\boptimizer\b", title=4, abstract=1),))
    assert not [line for line in _suggest(accepted) if r"'\boptimizer\b'" in line]


def test_the_figures_are_those_evaluate_gives_once_the_rule_is_accepted() -> None:
    """What a proposal says it does is what the taxonomy does with it: scored again."""
    texts = [
        ("Fast tokens", "We speed up generation with a draft model.", {"inference"}),
        ("Drafts", "A draft model proposes tokens; speculative decoding verifies.", {"inference"}),
        ("Decoding games", "Decoding strategies for story writing.", set()),
        ("Serving", "A serving system for decoding at scale.", {"inference"}),
        ("Draft essays", "Students draft essays with a model.", set()),
    ]
    rules = (Rule(r"\bdecoding\b", title=2, abstract=1), Rule(r"\bserving\b", title=3, abstract=3))
    inference = TagDef("inference", "Inference", "serving", rules)
    tagger = Tagger.of(Taxonomy((inference, RETRIEVAL)))
    labelled = [Labelled(t, a, frozenset(tags)) for t, a, tags in texts]
    others = [
        (f"Speculative decoding {n}", "A draft model proposes tokens.", {"inference"}) for n in range(8)
    ]
    others += [(f"Stories {n}", "Stories about cats.", set()) for n in range(8)]
    site = SitePages.of([(t, a, frozenset(tags)) for t, a, tags in texts + others])
    proposals = suggest(tagger, labelled, examine(tagger, labelled), "inference", site)
    adds = [p for p in proposals if p.kind == "add"]
    assert adds, "the draft-model papers are missed, and share 'draft model' with 8 other pages"
    for proposal in adds:
        rule = yaml.safe_load(proposal.what[2:])
        accepted = replace(inference, rules=(*rules, Rule(rule["pattern"], rule["title"], rule["abstract"])))
        again = Tagger.of(Taxonomy((accepted, RETRIEVAL)))
        got = [tag in again.choose(t, a) for t, a, _ in texts for tag in ["inference"]]
        wanted = ["inference" in tags for _, _, tags in texts]
        after = Figures.of(wanted, got)
        assert (proposal.after.precision, proposal.after.recall) == (after.precision, after.recall)


def test_the_site_counts_follow_word_boundaries_and_phrases() -> None:
    site = SitePages.of([("Optimizer", "fast optimizers and an optimizer state", frozenset())])
    assert site.firing("optimizer") == [0]
    assert site.firing("optimizer state") == [0] and site.firing("optimizers state") == []
    assert site.firing("github") == []


def _removal_lines(wrong: int, right: int = 1) -> list[str]:
    """What `--suggest retrieval` proposes when a person took retrieval off `wrong` pages
    (which `\\bretriev\\w*` alone gave it) and kept it on `right` pages with an index."""
    retrieval = replace(
        RETRIEVAL, rules=(Rule(r"\bretriev\w*", title=3, abstract=3), Rule(r"\bindex\b", abstract=3))
    )
    tagger = Tagger.of(Taxonomy((TRAINING, retrieval)))
    labelled = [
        Labelled("", f"We retrieve passages for agents, case {n}.", frozenset()) for n in range(wrong)
    ]
    labelled += [
        Labelled("", f"We retrieve passages from index {n}.", frozenset({"retrieval"})) for n in range(right)
    ]
    site = SitePages.of(
        [
            ("", "Retrieval for agents.", frozenset({"retrieval"})),
            ("", "A retriever and an index.", frozenset({"retrieval"})),
            ("", "Decoding speed.", frozenset()),
        ]
    )
    return [p.line() for p in suggest(tagger, labelled, examine(tagger, labelled), "retrieval", site)]


def test_a_removal_says_what_it_takes_off_the_site_and_none_worse_on_both_is_proposed() -> None:
    """A reviewer's proposals would have taken a tag off 24 of its 62 pages without saying
    so, and one lowered both figures (precision 0.33 → 0.25, recall 1.00 → 0.50)."""
    assert _removal_lines(9) == [
        r"  remove    rule 1 '\bretriev\w*'   # precision 0.10 → 1.00, recall 1.00 → 1.00 on 10 labelled pages; "
        "drops 9 of 9 wrong; scores on 2 of the site's 3 unlabelled pages: takes retrieval off 1"
    ]  # rule 2 alone would drop the right one too (0.10 → –, 1.00 → 0.00): not proposed


def test_a_removal_on_a_few_wrong_pages_is_not_proposed() -> None:
    """Fitted to one half of the bundled labels, `--suggest` offered to remove rules on two
    or three wrong pages (none right lost among the labelled ones: `\\binference\\b`,
    tool-use's main rule); accepted, each lost right tags on the other half, which the rule
    alone placed (10 folds of 20, recall 0.863 → 0.856 over all 20). A page or three that all
    lose a wrong tag say nothing of the right pages the rule alone places elsewhere; nine do."""
    assert [line for line in _removal_lines(3) if "remove " in line] == []
    assert [line for line in _removal_lines(1) if "remove " in line] == []  # one page is that page
    assert [line for line in _removal_lines(8) if "remove " in line] == []
    assert len(_removal_lines(9)) == 1


def test_a_removal_held_back_for_too_few_wrong_pages_is_said_with_how_many_more() -> None:
    """A curator with a few labelled pages who took a tag off two or three that one rule gave
    it saw nothing of that rule in `--suggest`, or "nothing to propose", and was left to
    guess whether the rule was fine or the labels too few. A line names the rule, what it
    would drop, and how many more such pages would make its removal a proposal."""
    assert _removal_lines(3) == [
        r"  not yet   rule 1 '\bretriev\w*'   # drops 3 of 3 wrong on 4 labelled pages: too few to "
        "propose removing it; label 6 more pages it tags wrongly to have it proposed"
    ]
    assert _removal_lines(8)[0].endswith("; label 1 more page it tags wrongly to have it proposed")
    assert _removal_lines(1) == []  # one page is that page: nothing to say of the rule


def test_a_phrase_a_few_pages_share_by_chance_is_not_proposed() -> None:
    """ "use cases" on two of five pages with the tag looked like twice the site's share of
    it (a reviewer accepted it, and it tagged an inference paper fine-tuning). Two of five is
    no evidence; fourteen of fifteen is."""
    tagger = Tagger.of(Taxonomy((TRAINING, RETRIEVAL)))
    labelled = [Labelled("", f"{text} Many use cases.", frozenset({"training"})) for text in MISSED]

    def site(tagged: int, of: int) -> SitePages:
        pages = [
            ("", f"Paper {n} has use cases.", frozenset({"training"} if n < tagged else ()))
            for n in range(of)
        ]
        others = [("", f"Other paper {n}.", frozenset({"training"} if n < 10 else ())) for n in range(40)]
        return SitePages.of(pages + others)  # the tag on a quarter of the site

    def proposed(pages: SitePages) -> bool:
        found = suggest(tagger, labelled, examine(tagger, labelled), "training", pages)
        return any(p.phrase in ("cases", "use cases") for p in found)

    assert not proposed(site(3, 5))  # 60 %, over twice the site's share, on five pages
    assert proposed(site(14, 15))


def test_a_phrase_on_no_other_page_is_proposed_last_and_never_decisive() -> None:
    """`\\blamp\\b` found the misses and occurred on none of the site's 347 other pages: only
    the pages it was fitted to spoke for it. Proposed, it comes last and says so, and never
    as a decisive rule (the phrase alone places a paper): a reviewer was offered `able to
    provide` so for reasoning, which would tag any later paper that said it."""
    tagger = Tagger.of(Taxonomy((TRAINING, RETRIEVAL)))
    # the site's optimizer page has the tag: it bears out `optimizer` (a tag on no page but
    # the labelled ones has no page to bear any phrase out)
    site = SitePages.of(
        [("", text, frozenset({"training"} if "optimizer" in text else {"retrieval"})) for text in ELSEWHERE]
    )

    def lines(labelled: list[Labelled]) -> list[str]:
        return [p.line() for p in suggest(tagger, labelled, examine(tagger, labelled), "training", site)]

    # Once in each abstract: only a decisive rule would find the misses, so none is proposed.
    abstract = [Labelled("", f"{text} The lamp warms up.", frozenset({"training"})) for text in MISSED]
    assert not [line for line in lines(abstract) if "lamp" in line]
    # In each title: a supporting rule finds them.
    titled = [Labelled("The Lamp", text, frozenset({"training"})) for text in MISSED]
    found = lines(titled)
    lamp = [line for line in found if r"'\blamp\b'" in line]
    assert lamp and "title: 4, abstract: 1}" in lamp[0], found
    assert lamp[0].endswith("in none of the site's other pages")
    alone = [line.endswith("in none of the site's other pages") for line in found]
    assert alone == sorted(alone) and not alone[0]  # after every phrase other pages bear out


def test_a_tag_no_other_page_has_yet_gets_no_phrase_other_pages_use() -> None:
    """A person added `networking` to the taxonomy and to four pages; `--suggest` proposed
    `\\bhow\\b` and `\\bgeneration\\b` as rules that alone would tag 48 and 74 of the site's
    pages: with the tag on no other page, its share of the site was 0, which every phrase's
    pages cleared. No page can vouch for a phrase yet; one on no other page still can be
    proposed (last, and never decisive)."""
    tagger = Tagger.of(Taxonomy((TRAINING, RETRIEVAL)))
    labelled = [Labelled("The Lamp", f"{text} We show how.", frozenset({"training"})) for text in MISSED]
    site = SitePages.of(
        [("", f"Paper {n} shows how to retrieve.", frozenset({"retrieval"})) for n in range(40)]
    )
    lines = [p.line() for p in suggest(tagger, labelled, examine(tagger, labelled), "training", site)]
    assert not [line for line in lines if r"'\bhow\b'" in line], lines
    assert [line for line in lines if r"'\blamp\b'" in line]
