"""Papers whose tags changed (a paper listed again with an edited abstract is tagged again):
which papers' links that can reach, for related/method.py's `related_state`, instead of
a computation from nothing.

Tags weigh a paper's candidates only after they are chosen: the cut to CANDIDATES is by
partial score, text alone (related/scoring.py), so a change of tags leaves every paper's
candidates, their partial scores and cosines as they were. It moves the tag factor of
the pairs whose overlap changed: those with a paper whose tags changed, and, when such a
paper is in the weighing base, those holding a tag whose count there moved (its weight
moves for every paper holding it). A score (partial × factor, or cosine × factor) then
moves by new factor / old factor: a relative move, which a paper's relative slack covers
as it covers a vector's scaling (related/reach.py). Each paper's largest such move among
its candidates is worked out exactly, from the old and the new overlaps: a paper whose
slack it reaches is reached (and corrected, its kept candidates being right:
related/repair.py), any other spends it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from site_builder.build.related.reach import ROUNDING, Reach
from site_builder.build.related.scoring import tag_factor
from site_builder.build.related.snapshot import Candidates, Slack
from site_builder.build.related.tags import TagSimilarity
from site_builder.core.runtime.arrays import Bools, max_by


def retagged(
    reach: Reach, before: TagSimilarity, after: TagSimilarity, candidates: Candidates, changed: Bools
) -> Reach:
    """`reach` with what the tags' change reaches: `before` and `after` weigh the tags as
    they were and are now (of the same papers), `changed` marks the papers whose tags
    changed, and `candidates` are those the state kept."""
    n = len(changed)
    moving = changed | after.reweighed(before)
    paper, other = candidates.pairs()
    pair = moving[paper] | moving[other]
    paper, other = paper[pair], other[pair].astype(np.int64)
    moved = np.abs(np.log(tag_factor(after, paper, other)) - np.log(tag_factor(before, paper, other)))
    move = max_by(paper, moved, n)
    spent = np.where(move > 0, move + ROUNDING, 0.0)
    slack = reach.slack
    todo = np.zeros(n, bool)
    todo[reach.todo] = True
    todo |= (move > 0) & (spent >= slack.relative)
    left = Slack(slack.relative - spent, slack.absolute, slack.floor)
    return replace(reach, todo=np.flatnonzero(todo), slack=left)
