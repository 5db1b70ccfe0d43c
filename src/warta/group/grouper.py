"""`Grouper`: the group stage's incremental state over the whole store.

    grouper = Grouper.loads(store.get_state("group"))      # None: a fresh state
    article = grouper.add(article)     # duplicate_of, syndication and story_id filled
    for links in grouper.take_updates(): ...               # earlier articles whose links changed
    for story in grouper.stories(changed=True): ...        # story title/first report/outlets/timeline
    store.put_state("group", grouper.dumps())

Earliest publisher = original. A copy that is published later is the copy even if it was ingested
first: when an earlier-published member arrives, the group's members are re-marked and their new
links are queued for ``take_updates()`` (the store rewrites those rows).
"""

from __future__ import annotations

import math
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable

import msgspec

from warta.group.duplicates import DuplicateIndex, Match, MinHashConfig, fingerprint
from warta.group.stories import DAY, Story, StoryConfig, StoryIndex, story_vector
from warta.group.syndication import diff, earlier, timestamp, wire_source
from warta.record import Article, Syndication

STATE_VERSION = 1


class GroupConfig(msgspec.Struct, frozen=True, kw_only=True):
    """Thresholds are estimated Jaccard similarities of word 3-shingle sets."""

    duplicate_threshold: float = 0.7
    syndication_threshold: float = 0.5
    keep_texts: int = 20_000
    minhash: MinHashConfig = MinHashConfig()
    stories: StoryConfig = StoryConfig()


class Links(msgspec.Struct, kw_only=True):
    """The group stage's fields of one article (what the store must write back)."""

    id: str
    duplicate_of: str | None = None
    syndication: Syndication | None = None
    story_id: str | None = None


class StoryInfo(msgspec.Struct, kw_only=True):
    """A story as plain data for the store and the commands."""

    id: str
    title: str | None
    keywords: list[str]
    first_article: str | None
    first_published: float | None
    last_published: float | None
    outlets: dict[str, int]
    articles: list[str]
    timeline: list[tuple[str, float | None, str | None]]  # (article id, published epoch, outlet)


class Clusters:
    """Union-find over doc numbers that also keeps each cluster's member list (clusters of 2+ only)."""

    def __init__(self) -> None:
        self.parent = array("i")
        self.members: dict[int, list[int]] = {}

    def append(self, doc: int) -> None:
        self.parent.append(doc)

    def root(self, doc: int) -> int:
        parent = self.parent
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    def group(self, doc: int) -> list[int]:
        return self.members.get(self.root(doc), [doc])

    def union(self, a: int, b: int) -> int:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return ra
        ma, mb = self.members.get(ra, [ra]), self.members.get(rb, [rb])
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        self.parent[rb] = ra
        ma.extend(mb)
        self.members[ra] = ma
        self.members.pop(rb, None)
        return ra

    def dumps(self) -> dict[str, object]:
        return {"parent": self.parent.tobytes(), "members": {str(k): v for k, v in self.members.items()}}

    @classmethod
    def loads(cls, data: dict[str, object]) -> Clusters:
        clusters = cls()
        clusters.parent.frombytes(data["parent"])  # type: ignore[arg-type]
        clusters.members = {int(k): list(v) for k, v in data["members"].items()}  # type: ignore[attr-defined]
        return clusters


def _article_text(article: Article) -> str:
    return "\n".join(article.body) if article.body else (article.title or "")


class Grouper:
    """Incremental duplicates, syndication and stories. Not thread-safe; one per ingest."""

    def __init__(self, config: GroupConfig | None = None, fetch: Callable[[str], Article | None] | None = None) -> None:
        self.config = config or GroupConfig()
        self.fetch = fetch
        self.index = DuplicateIndex(self.config.minhash, min(self.config.duplicate_threshold, self.config.syndication_threshold))
        self.story_index = StoryIndex(self.config.stories)
        self.ids: list[str] = []
        self.doc_of: dict[str, int] = {}
        self.published = array("d")
        self.outlet_code = array("i")
        self.outlet_names: list[str] = []
        self._outlet_num: dict[str, int] = {}
        self.story_of = array("i")
        self.synd = Clusters()  # copies and light rewrites (syndication_threshold)
        self.dups = Clusters()  # near duplicates (duplicate_threshold) and exact copies
        self.wire: dict[int, str] = {}
        self.exact_of: dict[int, int] = {}
        self.links: dict[int, Links] = {}
        self._texts: OrderedDict[int, list[str]] = OrderedDict()
        self._diffs: dict[int, tuple[int, list[str], list[str]]] = {}
        self._updates: dict[int, Links] = {}
        self._changed_stories: set[int] = set()

    # -- groups ------------------------------------------------------------------------------
    def _earliest(self, members: list[int]) -> int:
        """The member published first; ties (and unknown dates) broken by article id, so that the
        answer does not depend on the order articles were ingested in."""
        best = members[0]
        for member in members[1:]:
            if earlier((self.published[member], self.ids[member]), (self.published[best], self.ids[best])):
                best = member
        return best

    def original(self, doc: int) -> int:
        """The earliest-published member of ``doc``'s syndication group."""
        return self._earliest(self.synd.group(doc))

    def _body(self, doc: int) -> list[str] | None:
        if doc in self._texts:
            return self._texts[doc]
        if self.fetch is not None:
            article = self.fetch(self.ids[doc])
            if article is not None:
                return article.body
        return None

    def _remember(self, doc: int, body: list[str]) -> None:
        self._texts[doc] = body
        while len(self._texts) > self.config.keep_texts:
            self._texts.popitem(last=False)

    def _links(self, doc: int) -> Links:
        """The current links of one article, from the clusters it is in."""
        group = self.synd.group(doc)
        story = self.story_of[doc]
        story_id = self.story_index.stories[story].id if story >= 0 else None
        wire = self.wire.get(doc) or next((self.wire[m] for m in group if m in self.wire), None)
        dup_group = self.dups.group(doc)
        first_copy = self._earliest(dup_group) if len(dup_group) > 1 else doc
        dup_of = self.ids[first_copy] if first_copy != doc else None
        if len(group) < 2:
            syn = Syndication(group_id="wire-" + self.ids[doc], wire_source=wire) if wire else None
            return Links(id=self.ids[doc], duplicate_of=dup_of, story_id=story_id, syndication=syn)
        original = self._earliest(group)
        added: list[str] = []
        removed: list[str] = []
        if doc != original:
            cached = self._diffs.get(doc)
            if cached is not None and cached[0] == original:
                added, removed = cached[1], cached[2]
            else:
                mine, theirs = self._body(doc), self._body(original)
                if mine is not None and theirs is not None:
                    added, removed = diff(theirs, mine)
                    self._diffs[doc] = (original, added, removed)
        syn = Syndication(
            group_id="syn-" + self.ids[original],
            original_id=self.ids[original],
            is_original=doc == original,
            wire_source=wire,
            added=added,
            removed=removed,
        )
        return Links(id=self.ids[doc], duplicate_of=dup_of, syndication=syn, story_id=story_id)

    # -- the stage -------------------------------------------------------------------------
    def add(self, article: Article) -> Article:
        """Group one article against everything seen so far; return it with its links filled."""
        if article.id and article.id in self.doc_of:
            doc = self.doc_of[article.id]
            return self._apply(article, self.links.get(doc) or self._links(doc))
        fp = fingerprint([_article_text(article)], self.config.minhash)
        doc, matches = self.index.add(fp.signatures[0], int(fp.exact[0]))
        return self._register(article, doc, matches)

    def add_many(self, articles: Iterable[Article]) -> list[Article]:
        """``add`` for a batch: the same answers, with signatures and index lookups vectorised."""
        batch = list(articles)
        fresh: list[Article] = []
        seen: set[str] = set()
        for article in batch:
            if not article.id or (article.id not in self.doc_of and article.id not in seen):
                fresh.append(article)
                if article.id:
                    seen.add(article.id)
        fp = fingerprint([_article_text(a) for a in fresh], self.config.minhash)
        indexed = iter(zip(fresh, self.index.add_many(fp.signatures, fp.exact), strict=True))
        out = []
        for article in batch:
            if article.id and article.id in self.doc_of:
                out.append(self.add(article))
                continue
            registered, (doc, matches) = next(indexed)
            out.append(self._register(registered, doc, matches))
        return out

    def _register(self, article: Article, doc: int, matches: list[Match]) -> Article:
        article_id = article.id or f"doc{doc}"
        self.ids.append(article_id)
        self.doc_of[article_id] = doc
        self.published.append(timestamp(article.published_at))
        self.outlet_code.append(self._outlet(article.outlet or article.domain))
        self.synd.append(doc)
        self.dups.append(doc)
        self.story_of.append(-1)
        wire = wire_source(article)
        if wire:
            self.wire[doc] = wire
        cfg = self.config
        dup_joins = [m.doc for m in matches if m.exact or m.similarity >= cfg.duplicate_threshold]
        synd_joins = [m.doc for m in matches if m.exact or m.similarity >= cfg.syndication_threshold]
        for match in matches:
            if match.exact and doc not in self.exact_of:
                self.exact_of[doc] = match.doc
        before = self._shape(synd_joins, self.synd), self._shape(dup_joins, self.dups)
        for other in dup_joins:
            self.dups.union(doc, other)
        for other in synd_joins + dup_joins:
            self.synd.union(doc, other)
        self._remember(doc, list(article.body))
        group = self.synd.group(doc)
        original = self._earliest(group)
        # Stories: a copy goes with its original; otherwise cluster.
        join = None
        if original != doc and self.story_of[original] >= 0:
            join = self.story_of[original]
        vec, surface = story_vector(article, cfg.stories)
        story = self.story_index.add(
            doc, article_id, vec, surface, self.published[doc], article.title, self._outlet_name(doc), join=join
        )
        self.story_of[doc] = story.number
        self._changed_stories.add(story.number)
        links = self._links(doc)
        if len(group) > 1 or doc in self.wire:
            self.links[doc] = links
        if len(group) > 1:
            # A new earliest member or a merge of clusters re-marks every member; otherwise only
            # the original can change (from a lone article to the head of a group).
            after = self._shape([doc], self.synd), self._shape([doc], self.dups)
            for member in group if before != after else [original]:
                if member == doc:
                    continue
                new = self._links(member)
                if self.links.get(member) != new:
                    self.links[member] = new
                    self._updates[member] = new
        return self._apply(article, links)

    def _shape(self, docs: list[int], clusters: Clusters) -> tuple[int, int] | None:
        """(earliest member, root) of the one cluster ``docs`` fall in; None for none or several."""
        roots = {clusters.root(d) for d in docs}
        if len(roots) != 1:
            return None
        root = next(iter(roots))
        return self._earliest(clusters.group(root)), root

    def _apply(self, article: Article, links: Links) -> Article:
        return msgspec.structs.replace(
            article,
            id=article.id or links.id,
            duplicate_of=links.duplicate_of,
            syndication=links.syndication,
            story_id=links.story_id,
        )

    def take_updates(self) -> list[Links]:
        """Links of earlier articles that changed since the last call (re-marked originals, merges)."""
        updates = list(self._updates.values())
        self._updates.clear()
        return updates

    def links_of(self, article_id: str) -> Links | None:
        doc = self.doc_of.get(article_id)
        if doc is None:
            return None
        return self.links.get(doc) or self._links(doc)

    def is_exact_copy(self, article_id: str) -> bool:
        """Is the article an exact copy (same normalised text) of an article published before it?"""
        doc = self.doc_of.get(article_id)
        if doc is None:
            return False
        mine = self.index.exact_hash(doc)
        same = [m for m in self.dups.group(doc) if self.index.exact_hash(m) == mine]
        return len(same) > 1 and self._earliest(same) != doc

    def copies(self, article_id: str) -> list[str]:
        """Ids of the other members of the article's syndication group."""
        doc = self.doc_of.get(article_id)
        if doc is None:
            return []
        return [self.ids[m] for m in self.synd.group(doc) if m != doc]

    def duplicate_groups(self) -> list[list[str]]:
        """Every syndication group (2+ members), original first."""
        out = []
        for members in self.synd.members.values():
            original = self._earliest(members)
            out.append([self.ids[original]] + [self.ids[m] for m in members if m != original])
        return out

    # -- stories -----------------------------------------------------------------------------
    def _outlet(self, name: str | None) -> int:
        if not name:
            return -1
        if name not in self._outlet_num:
            self._outlet_num[name] = len(self.outlet_names)
            self.outlet_names.append(name)
        return self._outlet_num[name]

    def _outlet_name(self, doc: int) -> str | None:
        code = self.outlet_code[doc]
        return self.outlet_names[code] if code >= 0 else None

    def _story_info(self, story: Story) -> StoryInfo:
        def when(doc: int) -> float | None:
            ts = self.published[doc]
            return None if math.isnan(ts) else ts

        order = sorted(story.docs, key=lambda d: (math.isnan(self.published[d]), self.published[d], d))
        return StoryInfo(
            id=story.id,
            title=story.title,
            keywords=story.keywords(),
            first_article=self.ids[story.first_doc] if story.first_doc >= 0 else None,
            first_published=None if math.isnan(story.first_ts) else story.first_ts,
            last_published=None if math.isnan(story.last_ts) else story.last_ts,
            outlets=dict(story.outlets),
            articles=[self.ids[d] for d in order],
            timeline=[(self.ids[d], when(d), self._outlet_name(d)) for d in order],
        )

    def stories(self, changed: bool = False, since: float | None = None, min_articles: int = 1) -> list[StoryInfo]:
        """Stories as plain records (``changed``: only those touched since the last such call;
        ``since``: only those with an article published at or after this epoch)."""
        if changed:
            numbers = sorted(self._changed_stories)
            self._changed_stories = set()
        else:
            numbers = list(range(len(self.story_index.stories)))
        out = []
        for number in numbers:
            story = self.story_index.stories[number]
            if len(story.docs) < min_articles:
                continue
            if since is not None and (math.isnan(story.last_ts) or story.last_ts < since):
                continue
            out.append(self._story_info(story))
        return out

    def story_of_article(self, article_id: str) -> StoryInfo | None:
        doc = self.doc_of.get(article_id)
        if doc is None or self.story_of[doc] < 0:
            return None
        return self._story_info(self.story_index.stories[self.story_of[doc]])

    def related(self, article_id: str, limit: int = 10) -> list[str]:
        """Other articles of the same story, nearest in time first (copies excluded)."""
        doc = self.doc_of.get(article_id)
        if doc is None or self.story_of[doc] < 0:
            return []
        copies = set(self.synd.group(doc))
        ts = self.published[doc]
        others = [d for d in self.story_index.stories[self.story_of[doc]].docs if d not in copies]
        others.sort(key=lambda d: abs(self.published[d] - ts) if not (math.isnan(ts) or math.isnan(self.published[d])) else DAY * 365)
        return [self.ids[d] for d in others[:limit]]

    @property
    def nbytes_index(self) -> int:
        """Bytes held by the near-duplicate index (signatures + band keys)."""
        return self.index.nbytes

    # -- persistence -------------------------------------------------------------------------
    def dumps(self) -> bytes:
        state = {
            "version": STATE_VERSION,
            "config": self.config,
            "index": self.index.dumps(),
            "stories": self.story_index.dumps(),
            "ids": self.ids,
            "published": self.published.tobytes(),
            "outlet_code": self.outlet_code.tobytes(),
            "outlet_names": self.outlet_names,
            "synd": self.synd.dumps(),
            "dups": self.dups.dumps(),
            "story_of": self.story_of.tobytes(),
            "wire": {str(k): v for k, v in self.wire.items()},
            "exact_of": {str(k): v for k, v in self.exact_of.items()},
            "links": {str(k): v for k, v in self.links.items()},
        }
        return msgspec.msgpack.encode(state)

    @classmethod
    def loads(
        cls, data: bytes | None, fetch: Callable[[str], Article | None] | None = None, **config: object
    ) -> Grouper:
        """A grouper from ``dumps()`` output (None: fresh). Keyword arguments override config
        fields of a fresh state (``duplicate_threshold=0.6``); a saved state keeps its own."""
        if not data:
            return cls(msgspec.convert(config, GroupConfig) if config else None, fetch=fetch)
        state = msgspec.msgpack.decode(data)
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"group state version {state.get('version')} is not {STATE_VERSION}; rebuild it")
        cfg = msgspec.convert(state["config"], GroupConfig)
        grouper = cls(cfg, fetch=fetch)
        grouper.index = DuplicateIndex.loads(state["index"], cfg.minhash, grouper.index.min_similarity)
        grouper.story_index = StoryIndex.loads(state["stories"], cfg.stories)
        grouper.ids = list(state["ids"])
        grouper.doc_of = {i: n for n, i in enumerate(grouper.ids)}
        for name in ("published", "outlet_code", "story_of"):
            getattr(grouper, name).frombytes(state[name])
        grouper.outlet_names = list(state["outlet_names"])
        grouper._outlet_num = {n: i for i, n in enumerate(grouper.outlet_names)}
        grouper.synd = Clusters.loads(state["synd"])
        grouper.dups = Clusters.loads(state["dups"])
        grouper.wire = {int(k): v for k, v in state["wire"].items()}
        grouper.exact_of = {int(k): v for k, v in state["exact_of"].items()}
        grouper.links = {int(k): msgspec.convert(v, Links) for k, v in state["links"].items()}
        return grouper
