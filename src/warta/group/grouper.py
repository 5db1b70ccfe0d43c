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
import numpy as np

from warta.group.duplicates import DuplicateIndex, MinHashConfig, fingerprint
from warta.group.stories import DAY, Story, StoryConfig, StoryIndex, story_vector
from warta.group.syndication import diff, earlier, timestamp, wire_source
from warta.record import Article, Syndication

STATE_VERSION = 1


class GroupConfig(msgspec.Struct, frozen=True, kw_only=True):
    """Thresholds are estimated Jaccard similarities of word 3-shingle sets."""

    duplicate_threshold: float = 0.5
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
        self.parent = array("i")
        self.story_of = array("i")
        self.members: dict[int, list[int]] = {}
        self.wire: dict[int, str] = {}
        self.exact_of: dict[int, int] = {}
        self.links: dict[int, Links] = {}
        self._texts: OrderedDict[int, list[str]] = OrderedDict()
        self._updates: dict[int, Links] = {}
        self._changed_stories: set[int] = set()

    # -- groups (union-find) ---------------------------------------------------------------
    def _root(self, doc: int) -> int:
        parent = self.parent
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    def _union(self, a: int, b: int) -> int:
        ra, rb = self._root(a), self._root(b)
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

    def _when(self, doc: int) -> tuple[float, int]:
        return (self.published[doc], doc)

    def original(self, doc: int) -> int:
        """The earliest-published member of ``doc``'s group."""
        best = doc
        for member in self.members.get(self._root(doc), [doc]):
            if earlier(self._when(member), self._when(best)):
                best = member
        return best

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

    def _links(self, doc: int, original: int, group: list[int]) -> Links:
        story = self.story_of[doc]
        story_id = self.story_index.stories[story].id if story >= 0 else None
        wire = self.wire.get(doc) or next((self.wire[m] for m in group if m in self.wire), None)
        if len(group) < 2:
            syn = None
            if wire:
                syn = Syndication(group_id="wire-" + self.ids[doc], wire_source=wire)
            return Links(id=self.ids[doc], story_id=story_id, syndication=syn)
        dup_of = None
        if doc != original:
            sim = float(np.count_nonzero(self.index.signature(doc) == self.index.signature(original))) / self.index.signature(doc).size
            if self.exact_of.get(doc) is not None or sim >= self.config.duplicate_threshold:
                dup_of = self.ids[original]
        added: list[str] = []
        removed: list[str] = []
        if doc != original:
            mine, theirs = self._body(doc), self._body(original)
            if mine is not None and theirs is not None:
                added, removed = diff(theirs, mine)
        syn = Syndication(
            group_id="syn-" + self.ids[min(group)],
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
            links = self.links.get(doc) or self._links(doc, self.original(doc), self.members.get(self._root(doc), [doc]))
            return self._apply(article, links)
        fp = fingerprint([_article_text(article)], self.config.minhash)
        doc, matches = self.index.add(fp.signatures[0], int(fp.exact[0]))
        article_id = article.id or f"doc{doc}"
        self.ids.append(article_id)
        self.doc_of[article_id] = doc
        self.published.append(timestamp(article.published_at))
        self.outlet_code.append(self._outlet(article.outlet or article.domain))
        self.parent.append(doc)
        self.story_of.append(-1)
        wire = wire_source(article)
        if wire:
            self.wire[doc] = wire
        joined = [
            m.doc for m in matches if m.exact or m.similarity >= self.config.syndication_threshold
        ]
        for match in matches:
            if match.exact and doc not in self.exact_of:
                self.exact_of[doc] = match.doc
        roots = {self._root(m) for m in joined}
        before = None
        if len(roots) == 1:
            root = next(iter(roots))
            before = (self.original(root), min(self.members.get(root, [root])))
        for other in joined:
            self._union(doc, other)
        self._remember(doc, list(article.body))
        group = self.members.get(self._root(doc), [doc])
        original = self.original(doc)
        # Stories: a copy goes with its original; otherwise cluster.
        join = None
        if original != doc and self.story_of[original] >= 0:
            join = self.story_of[original]
        vec, surface = story_vector(article, self.config.stories)
        story = self.story_index.add(
            doc, article_id, vec, surface, self.published[doc], article.title, self._outlet_name(doc), join=join
        )
        self.story_of[doc] = story.number
        self._changed_stories.add(story.number)
        links = self._links(doc, original, group)
        if len(group) > 1 or doc in self.wire:
            self.links[doc] = links
        if len(group) > 1:
            # A new original or a merge of groups re-marks every member; otherwise only the
            # original can change (from a lone article to the head of a group).
            remark = before is None or before != (original, min(group))
            for member in group if remark else [original]:
                if member == doc:
                    continue
                new = self._links(member, original, group)
                if self.links.get(member) != new:
                    self.links[member] = new
                    self._updates[member] = new
        return self._apply(article, links)

    def _apply(self, article: Article, links: Links) -> Article:
        return msgspec.structs.replace(
            article,
            id=article.id or links.id,
            duplicate_of=links.duplicate_of,
            syndication=links.syndication,
            story_id=links.story_id,
        )

    def add_many(self, articles: Iterable[Article]) -> list[Article]:
        return [self.add(a) for a in articles]

    def take_updates(self) -> list[Links]:
        """Links of earlier articles that changed since the last call (re-marked originals, merges)."""
        updates = list(self._updates.values())
        self._updates.clear()
        return updates

    def links_of(self, article_id: str) -> Links | None:
        doc = self.doc_of.get(article_id)
        if doc is None:
            return None
        return self.links.get(doc) or self._links(doc, doc, [doc])

    def copies(self, article_id: str) -> list[str]:
        """Ids of the other members of the article's syndication group."""
        doc = self.doc_of.get(article_id)
        if doc is None:
            return []
        return [self.ids[m] for m in self.members.get(self._root(doc), [doc]) if m != doc]

    def duplicate_groups(self) -> list[list[str]]:
        """Every syndication group (2+ members), original first."""
        out = []
        for members in self.members.values():
            original = self.original(members[0])
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
        copies = set(self.members.get(self._root(doc), [doc]))
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
            "parent": self.parent.tobytes(),
            "story_of": self.story_of.tobytes(),
            "members": {str(k): v for k, v in self.members.items()},
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
        for name in ("published", "outlet_code", "parent", "story_of"):
            getattr(grouper, name).frombytes(state[name])
        grouper.outlet_names = list(state["outlet_names"])
        grouper._outlet_num = {n: i for i, n in enumerate(grouper.outlet_names)}
        grouper.members = {int(k): v for k, v in state["members"].items()}
        grouper.wire = {int(k): v for k, v in state["wire"].items()}
        grouper.exact_of = {int(k): v for k, v in state["exact_of"].items()}
        grouper.links = {int(k): msgspec.convert(v, Links) for k, v in state["links"].items()}
        return grouper
