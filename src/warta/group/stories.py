"""Stories: streaming clustering of articles about one event, across outlets.

Each article is a TF-IDF vector of stems (title twice + lead paragraphs, `warta.understand.keywords`)
plus its entities' names. It joins the most similar *active* story (cosine to the story's centroid,
times a time decay) if the score clears a threshold, else it starts a new story. Candidates are
blocked through an inverted index from the story centroids' top terms, and a story leaves the index
once it is older than the window, so the cost per article does not grow with the corpus.
"""

from __future__ import annotations

import heapq
import math

import msgspec

from warta.record import Article
from warta.understand.keywords import article_vector

DAY = 86400.0


class StoryConfig(msgspec.Struct, frozen=True, kw_only=True):
    threshold: float = 0.3
    window_days: float = 7.0
    decay_days: float = 3.0
    lead_paragraphs: int = 4
    doc_terms: int = 30
    centroid_terms: int = 60
    probe_terms: int = 12
    entity_weight: float = 0.15
    max_candidates: int = 64
    expire_every_days: float = 1.0


class Story(msgspec.Struct, kw_only=True):
    """A story as the group stage keeps it. ``docs`` are the grouper's doc numbers, in arrival order."""

    number: int
    id: str
    title: str | None = None
    title_score: float = -1.0
    first_doc: int = -1
    first_ts: float = math.nan
    last_ts: float = math.nan
    centroid: dict[str, float] = msgspec.field(default_factory=dict)
    norm: float = 0.0
    surface: dict[str, str] = msgspec.field(default_factory=dict)
    docs: list[int] = msgspec.field(default_factory=list)
    outlets: dict[str, int] = msgspec.field(default_factory=dict)

    def keywords(self, k: int = 8) -> list[str]:
        top = heapq.nlargest(k, self.centroid.items(), key=lambda kv: kv[1])
        return [self.surface.get(t, t) for t, _ in top if not t.startswith("@")]


def story_vector(article: Article, config: StoryConfig) -> tuple[dict[str, float], dict[str, str]]:
    """Pure: the article's clustering vector (top stems, plus ``@name`` features for entities)."""
    vec, surface = article_vector(article, lead=config.lead_paragraphs)
    top = dict(heapq.nlargest(config.doc_terms, vec.items(), key=lambda kv: kv[1]))
    for entity in article.entities:
        key = "@" + entity.name.lower()
        top[key] = top.get(key, 0.0) + config.entity_weight
    norm = math.sqrt(sum(v * v for v in top.values())) or 1.0
    return {k: v / norm for k, v in top.items()}, surface


def _cosine(doc: dict[str, float], centroid: dict[str, float], norm: float | None = None) -> float:
    get = centroid.get
    dot = sum(w * get(t, 0.0) for t, w in doc.items())
    if norm is None:
        norm = math.sqrt(sum(v * v for v in centroid.values()))
    return dot / (norm or 1.0)


class StoryIndex:
    """Streaming story clustering over article vectors."""

    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()
        self.stories: list[Story] = []
        self.postings: dict[str, set[int]] = {}
        self.active: set[int] = set()
        self.latest = math.nan
        self._expired_at = math.nan
        self._adds = 0

    def _gap(self, story: Story, ts: float) -> float:
        """Days between ``ts`` and the story's span (0 inside it, 0 when a date is unknown)."""
        if math.isnan(ts) or math.isnan(story.first_ts):
            return 0.0
        if ts < story.first_ts:
            return (story.first_ts - ts) / DAY
        if ts > story.last_ts:
            return (ts - story.last_ts) / DAY
        return 0.0

    def best(self, vec: dict[str, float], ts: float) -> tuple[int, float]:
        """The best-scoring active story for a vector, and its score (-1, 0.0 if none)."""
        cfg = self.config
        probes = heapq.nlargest(cfg.probe_terms, vec.items(), key=lambda kv: kv[1])
        shared: dict[int, int] = {}
        for term, _ in probes:
            for number in self.postings.get(term, ()):
                shared[number] = shared.get(number, 0) + 1
        # Score only the stories sharing the most probe terms with the article (blocking).
        candidates = heapq.nlargest(cfg.max_candidates, shared, key=shared.__getitem__) if shared else []
        best, best_score = -1, 0.0
        for number in candidates:
            story = self.stories[number]
            gap = self._gap(story, ts)
            if gap > cfg.window_days:
                continue
            score = _cosine(vec, story.centroid, story.norm) * math.exp(-gap / cfg.decay_days)
            if score > best_score:
                best, best_score = number, score
        return best, best_score

    def add(
        self, doc: int, article_id: str, vec: dict[str, float], surface: dict[str, str], ts: float,
        title: str | None, outlet: str | None, join: int | None = None,
    ) -> Story:
        """Put one article into a story (``join``: a story number chosen by the caller, e.g. the
        story of the article this one duplicates) and return that story."""
        cfg = self.config
        if join is None:
            number, score = self.best(vec, ts)
            join = number if number >= 0 and score >= cfg.threshold else None
        if join is None:
            story = Story(number=len(self.stories), id="st-" + article_id, first_ts=ts, last_ts=ts, first_doc=doc)
            self.stories.append(story)
        else:
            story = self.stories[join]
        story.docs.append(doc)
        if outlet:
            story.outlets[outlet] = story.outlets.get(outlet, 0) + 1
        if not math.isnan(ts):
            if math.isnan(story.first_ts) or ts < story.first_ts:
                story.first_ts = ts
                story.first_doc = doc
            if math.isnan(story.last_ts) or ts > story.last_ts:
                story.last_ts = ts
        centroid = story.centroid
        for term, weight in vec.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        for term in vec:
            if term in surface and term not in story.surface:
                story.surface[term] = surface[term]
        if len(centroid) > cfg.centroid_terms * 2:
            keep = dict(heapq.nlargest(cfg.centroid_terms, centroid.items(), key=lambda kv: kv[1]))
            story.centroid = keep
            story.surface = {t: s for t, s in story.surface.items() if t in keep}
        story.norm = math.sqrt(sum(v * v for v in story.centroid.values()))
        # The title is the one of the article closest to the story's centre.
        closeness = _cosine(vec, story.centroid, story.norm)
        if title and closeness > story.title_score:
            story.title, story.title_score = title, closeness
        for top, _ in heapq.nlargest(cfg.probe_terms, story.centroid.items(), key=lambda kv: kv[1]):
            self.postings.setdefault(top, set()).add(story.number)
        self.active.add(story.number)
        if not math.isnan(ts) and (math.isnan(self.latest) or ts > self.latest):
            self.latest = ts
        # Expire old stories now and then: when data time has moved on by a day, or every 5,000 adds.
        self._adds += 1
        if self._adds >= 5000 or (
            not math.isnan(self.latest)
            and (math.isnan(self._expired_at) or self.latest - self._expired_at > cfg.expire_every_days * DAY)
        ):
            self.expire()
        return story

    def expire(self) -> None:
        """Drop stories older than the window from the candidate index (their records stay)."""
        self._adds = 0
        if math.isnan(self.latest):
            return
        self._expired_at = self.latest
        horizon = self.latest - self.config.window_days * DAY
        old = {n for n in self.active if not math.isnan(self.stories[n].last_ts) and self.stories[n].last_ts < horizon}
        if not old:
            return
        self.active -= old
        for number in old:
            # An expired story keeps only what is shown (its top terms), not its whole centroid.
            story = self.stories[number]
            keep = dict(heapq.nlargest(8, story.centroid.items(), key=lambda kv: kv[1]))
            story.centroid = keep
            story.surface = {t: s for t, s in story.surface.items() if t in keep}
            story.norm = math.sqrt(sum(v * v for v in keep.values()))
        for term in list(self.postings):
            remaining = self.postings[term] - old
            if remaining:
                self.postings[term] = remaining
            else:
                del self.postings[term]

    def dumps(self) -> dict[str, object]:
        return {"stories": self.stories, "active": sorted(self.active), "latest": self.latest}

    @classmethod
    def loads(cls, data: dict[str, object], config: StoryConfig) -> StoryIndex:
        index = cls(config)
        index.stories = msgspec.convert(data["stories"], list[Story])
        index.latest = float(data.get("latest", math.nan))  # type: ignore[arg-type]
        index.active = set(msgspec.convert(data["active"], list[int]))
        for number in index.active:
            story = index.stories[number]
            for term, _ in heapq.nlargest(config.probe_terms, story.centroid.items(), key=lambda kv: kv[1]):
                index.postings.setdefault(term, set()).add(number)
        return index
