"""Scores for the group stage: pairwise precision/recall/F1 and BCubed for clusterings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from itertools import combinations

import msgspec


class Scores(msgspec.Struct, frozen=True):
    precision: float
    recall: float
    f1: float
    tp: int = 0
    fp: int = 0
    fn: int = 0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def pair_scores(predicted: Iterable[tuple[Hashable, Hashable]], gold: Iterable[tuple[Hashable, Hashable]]) -> Scores:
    """Precision/recall/F1 of unordered pairs."""
    pred = {frozenset(p) for p in predicted if len(set(p)) == 2}
    true = {frozenset(p) for p in gold if len(set(p)) == 2}
    tp = len(pred & true)
    fp = len(pred - true)
    fn = len(true - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return Scores(precision=p, recall=r, f1=_f1(p, r), tp=tp, fp=fp, fn=fn)


def cluster_pairs(clusters: Mapping[Hashable, Hashable]) -> set[frozenset[Hashable]]:
    """Every pair of items that share a cluster."""
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    for item, cluster in clusters.items():
        groups[cluster].append(item)
    return {frozenset(p) for members in groups.values() for p in combinations(members, 2)}


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> Scores:
    """BCubed precision/recall/F1 (Bagga & Baldwin 1998) over the items of ``gold``."""
    items = list(gold)
    pred_groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    gold_groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item in items:
        pred_groups[predicted.get(item, ("alone", item))].add(item)
        gold_groups[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        mine = pred_groups[predicted.get(item, ("alone", item))]
        truth = gold_groups[gold[item]]
        both = len(mine & truth)
        precision += both / len(mine)
        recall += both / len(truth)
    n = len(items) or 1
    p, r = precision / n, recall / n
    return Scores(precision=p, recall=r, f1=_f1(p, r))
