"""`warta tag quotes` and `warta train quotes`: quotes as BIO tags over tokens.

``tag_conll(sentences)`` reads a CoNLL-like file as running text (sentences in document order;
a dateline such as "JAKARTA , KOMPAS —" starts a new article), runs the same rule-based extractor
as ``add_quotes`` over it, and tags:

* STATEMENT: the tokens of a *direct* quote, its quote marks included;
* SPEAKER: the tokens that name or point to its speaker (a name with its rank but without its office,
  a pronoun, "pihaknya"), and the first mention of each spelling of a directly quoted person's name, the
  one that introduces them (PFSA-ID tags that introduction PERSON); a clitic cue such as "katanya" is one
  token and is tagged CUE;
* CUE: the speech verb or "menurut".

Indirect quotes are not tagged (their speaker is, when named with a title and quoted directly too): the tags are meant to be scored against PFSA-ID, which annotates
direct quotes only, so emitting indirect statements would only be counted as false positives
there. ``Article.quotes`` keeps them (kind ``indirect``).

``train_from_corpus(corpus_dir, out_path)`` lets a user train a CRF quote tagger on a corpus they
hold (PFSA-ID is CC BY-NC-SA, so warta ships no model trained on it).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from warta.resources import path as resource_path
from warta.understand.quotes import DOUBLE, Unit, find_quotes, lexicon, subject_finder
from warta.understand.tokens import Token

LABELS = ("STATEMENT", "SPEAKER", "CUE")
_DASHES = frozenset({"—", "-", "–", "--"})


@dataclass
class TaggedQuote:
    """A direct quote in token indices of the flat token stream (for scoring attribution)."""

    statement: tuple[int, int]  # [a, b)
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None  # the surface mention (for "katanya" the cue token holding "-nya")
    antecedent: tuple[int, int] | None  # where the resolved speaker was named
    form: str = "name"  # how the quote points to its speaker: name, role, pronoun, party, clitic, plural

    @property
    def mention(self) -> tuple[int, int] | None:
        """The speaker mention: the words that name or point to the speaker, the clitic of "katanya" included."""
        return self.speaker

    @property
    def person(self) -> tuple[int, int] | None:
        """Where the speaker is named: the mention itself, or for "-nya"/"pihaknya" what they resolve to."""
        if self.form in ("clitic", "party"):
            return self.antecedent
        return self.speaker


def is_dateline(sentence: Sequence[str]) -> bool:
    """True when a sentence opens with a dateline ("JAKARTA , KOMPAS —", "Jakarta ( ANTARA ) -")."""
    head = list(sentence[:8])
    if len(head) < 3 or not head[0][:1].isupper():
        return False
    for i, tok in enumerate(head[1:], start=1):
        if tok in _DASHES:
            before = head[:i]
            words = [w for w in before if w not in {",", "(", ")"}]
            if not words or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
                return (
                    False  # a dateline has no lower-case word: "JAKARTA , KOMPAS —", "Jakarta ( ANTARA ) -"
                )
            return "," in before or "(" in before or all(w.isupper() for w in words)
    return False


def _articles(sentences: Sequence[Sequence[str]]) -> list[list[int]]:
    """Sentence indices grouped into articles."""
    groups: list[list[int]] = []
    for i, sent in enumerate(sentences):
        if not groups or (is_dateline(sent) and groups[-1]):
            groups.append([])
        groups[-1].append(i)
    return groups


def _unit_of(words: list[str]) -> Unit:
    tokens: list[Token] = []
    pos = 0
    for w in words:
        tokens.append(Token(pos, pos + len(w), w))
        pos += len(w) + 1
    return Unit.of(" ".join(words), tokens)


def _token_range(unit: Unit, start: int, end: int) -> tuple[int, int] | None:
    idx = [i for i, t in enumerate(unit.tokens) if t.start < end and start < t.end]
    return (idx[0], idx[-1] + 1) if idx else None


@lru_cache(maxsize=1)
def _ranks() -> tuple[frozenset[str], frozenset[str]]:
    """(rank heads, words inside a rank) from resources/quotes/ranks.tsv."""
    heads: set[str] = set()
    parts: set[str] = set()
    text = resource_path("quotes", "ranks.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, kind = line.split("\t")[:2]
        (heads if kind.strip() == "head" else parts).add(word.strip())
    return frozenset(heads), frozenset(parts)


def _with_rank(unit: Unit, rng: tuple[int, int]) -> tuple[int, int]:
    """A name's token range grown left over the rank or academic title that opens it ("Komisaris Besar
    Yusri Yunus", "dr Steaven Dandel"), never over the office before the rank."""
    heads, parts = _ranks()
    toks = unit.tokens
    a = rng[0]
    k = a
    while k > 0:
        if toks[k - 1].text in heads or toks[k - 1].text in parts:
            k -= 1
        elif k > 2 and toks[k - 1].text == ")" and toks[k - 3].text == "(" and toks[k - 2].text in parts:
            k -= 3  # "Brigadir Jenderal (Pol) Mathius Fakhiri", "Mayor Jenderal (TNI) Bambang Suryo Aji"
        else:
            break
    while k < a and toks[k].text not in heads:
        k += 1
    if k < a and k > 0 and toks[k].text == "Jenderal" and toks[k - 1].text in lexicon().titles:
        return rng  # "Sekretaris Jenderal", "Direktur Jenderal": the word belongs to the office, not a rank
    return (k, rng[1])


def _entities_for(unit: Unit) -> list:  # type: ignore[type-arg]
    """Person mentions from the shipped NER model as pseudo-entities, so names lose their titles."""
    try:
        from warta.understand.ner import tag_conll as ner_tag
    except ImportError:  # pragma: no cover - NER not available
        return []
    from warta.record import Entity, Mention

    words = [t.text for t in unit.tokens]
    tags = [t for sent in ner_tag([words[a:b] for a, b in unit.sents]) for t in sent]
    names: dict[
        tuple[str, ...], list[int]
    ] = {}  # each person's name as tagged somewhere, and where it starts
    i = 0
    while i < len(tags):
        if tags[i] == "B-PER":
            j = i + 1
            while j < len(tags) and tags[j] == "I-PER":
                j += 1
            names.setdefault(tuple(words[i:j]), []).append(i)
            i = j
        else:
            i += 1
    # A name the tagger found once is the same name wherever it is written again (as an entity pass does).
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in names:
        by_first.setdefault(key[0], []).append(key)
    for k, w in enumerate(words):
        for key in by_first.get(w, ()):
            if tuple(words[k : k + len(key)]) == key and k not in names[key]:
                names[key].append(k)
    entities = []
    for key, starts in names.items():
        mentions = []
        for i in sorted(starts):
            s, e = unit.tokens[i].start, unit.tokens[i + len(key) - 1].end
            mentions.append(Mention(paragraph=0, start=s, end=e, text=unit.text[s:e]))
        entities.append(Entity(id=f"p{starts[0]}", name=" ".join(key), type="PER", mentions=mentions))
    return entities


def analyze_stream(
    sentences: Sequence[Sequence[str]], *, use_ner: bool = True
) -> tuple[list[list[str]], list[TaggedQuote]]:
    """Tags for every token, and the direct quotes found, in indices of the flat token stream."""
    from warta.understand.speakers import resolve, similar_names

    tags = [["O"] * len(s) for s in sentences]
    flat_index: list[tuple[int, int]] = [(si, ti) for si, s in enumerate(sentences) for ti in range(len(s))]
    offsets: list[int] = []
    n = 0
    for s in sentences:
        offsets.append(n)
        n += len(s)
    quotes: list[TaggedQuote] = []
    for group in _articles(sentences):
        words = [w for si in group for w in sentences[si]]
        if not words:
            continue
        base = offsets[group[0]]
        unit = _unit_of(words)
        found = find_quotes([unit])
        if not any(q.kind == "direct" for q in found):
            continue
        people = _entities_for(unit) if use_ner else []
        resolve(found, [unit], people, subject_finder([unit], found))
        flat = [flat_index[base + i] for i in range(len(words))]

        def put(rng: tuple[int, int] | None, label: str, flat: list[tuple[int, int]] = flat) -> None:
            if rng is None:
                return
            for k in range(rng[0], rng[1]):
                si, ti = flat[k]
                tags[si][ti] = ("B-" if k == rng[0] else "I-") + label

        quoted = [q.speaker_name for q in found if q.kind == "direct" and q.speaker_name]
        pointing: list[
            tuple[TaggedQuote, str, int]
        ] = []  # "katanya" quotes: (quote, resolved name, local start)
        for q in found:
            if q.kind == "indirect":
                # Only the speaker of an indirect quote, introduced by name with a title ("Kepala BPS X mengatakan"),
                # who is quoted directly in the article too: the mention that introduces a quoted person.
                ref = q.speaker
                if (
                    ref is not None
                    and ref.form == "name"
                    and ref.role
                    and ref.name_start >= 0
                    and q.speaker_name
                    and any(similar_names(q.speaker_name, name) for name in quoted)
                ):
                    rng = _token_range(unit, ref.name_start, ref.name_end)
                    put(_with_rank(unit, rng) if rng is not None else None, "SPEAKER")
                continue
            st = _token_range(unit, q.outer_start, q.outer_end)
            cue = _token_range(unit, q.cue_span[1], q.cue_span[2]) if q.cue_span else None
            spk = surface = None
            if q.speaker is not None:
                ref = q.speaker
                if ref.form == "name" and ref.name_start >= 0:
                    spk = _token_range(unit, ref.name_start, ref.name_end)
                    spk = _with_rank(unit, spk) if spk is not None else None
                elif ref.form != "clitic":
                    spk = _token_range(unit, ref.start, ref.end)
                surface = spk if ref.form != "clitic" else _token_range(unit, ref.start, ref.end)
            ante = _token_range(unit, q.antecedent[1], q.antecedent[2]) if q.antecedent else None
            put(st, "STATEMENT")
            if spk is not None:
                put(spk, "SPEAKER")
            put(cue, "CUE")
            if st is not None:
                shift = _shifter(base)
                form = q.speaker.form if q.speaker is not None else "none"
                quotes.append(TaggedQuote(shift(st), shift(cue), shift(surface), shift(ante), form))  # type: ignore[arg-type]
                if form in ("clitic", "party") and q.speaker_name:
                    pointing.append((quotes[-1], q.speaker_name, st[0]))
        # The mention that introduces a quoted person ("Menteri Pertanian Syahrul Yasin Limpo meninjau ...") is
        # tagged SPEAKER wherever it stands, as PFSA-ID tags it: the first place each spelling of the name of
        # a person quoted directly is written ("Tri Rismaharini", later "Risma"), with its rank.
        for ent in people:
            if not ent.mentions or not any(similar_names(ent.name, name) for name in quoted):
                continue
            m = min(ent.mentions, key=lambda m: m.start)
            rng = _token_range(unit, m.start, m.end)
            if rng is not None and all(tags[flat[k][0]][flat[k][1]] == "O" for k in range(*rng)):
                put(_with_rank(unit, rng), "SPEAKER")
        # What "katanya" points to, as the tags report it: the latest SPEAKER span before the quote that names
        # the person it resolves to (the mention resolution found may be an untagged one of the same person).
        if pointing:
            local = [tags[si][ti][2:] if tags[si][ti] != "O" else "O" for si, ti in flat]
            spans = _spans(local, "SPEAKER")
            titles = lexicon().titles
            for tq, name, start in pointing:
                for a, b in reversed(spans):
                    if b > start:
                        continue
                    named = " ".join(w for w in words[a:b] if w[:1].isupper() and w not in titles)
                    if named and similar_names(named, name):
                        tq.antecedent = (a + base, b + base)
                        break
    return tags, quotes


def _shifter(base: int):  # type: ignore[no-untyped-def]
    def shift(r: tuple[int, int] | None) -> tuple[int, int] | None:
        return (r[0] + base, r[1] + base) if r else None

    return shift


def tag_conll(sentences: list[list[str]], model: Path | None = None) -> list[list[str]]:
    """BIO tags over STATEMENT, SPEAKER and CUE for each token (the `warta tag quotes` contract).

    With ``model`` (a CRF written by `train_from_corpus`), the CRF tags, using the rules' tags as features.
    """
    tags, _ = analyze_stream(sentences)
    if model is None:
        return tags
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    try:
        return [
            list(tagger.tag([_features(words, rule, i) for i in range(len(words))])) if words else []
            for words, rule in zip(sentences, tags, strict=True)
        ]
    finally:
        tagger.close()


# ---------------------------------------------------------------------------------------------- scoring


def _spans(labels: Sequence[str], name: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(labels):
        if labels[i] == name:
            j = i
            while j < len(labels) and labels[j] == name:
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _gold_statement_spans(gold_tags: Sequence[str]) -> list[tuple[int, int]]:
    """Gold STATEMENT spans from BILOU tags (adjacent statements kept apart)."""
    out = []
    start = None
    for i, t in enumerate(gold_tags):
        if t in ("B-STATEMENT", "U-STATEMENT"):
            start = i
        if t in ("L-STATEMENT", "U-STATEMENT") and start is not None:
            out.append((start, i + 1))
            start = None
    return out


@dataclass
class GoldAttribution:
    """A gold statement with its speaker, in token indices of the flat stream."""

    statement: tuple[int, int]
    mention: tuple[int, int] | None  # PERSON / PERSONCOREF by the cue, or the CUECOREF clitic
    person: tuple[int, int] | None  # where the speaker is named: the mention, or for a clitic its antecedent


def gold_attributions(gold_tags: Sequence[str], task: Sequence[str]) -> list[GoldAttribution]:
    """The gold speaker mention of each gold statement.

    PFSA-ID tags the speaker words attached to a cue PERSON or PERSONCOREF ("kata Teguh", "kata dia") and
    tags a cue that carries its speaker as a clitic ("katanya", "ujarnya") CUECOREF, with no other span:
    the clitic is the mention. The mention attached to a cue is the PERSON / PERSONCOREF span right after it,
    or right before it when the cue comes first. For a CUECOREF cue the mention is the cue token, and the
    person it points to is taken to be the latest PERSON / PERSONCOREF span before the statement (PFSA-ID has
    no coreference links; this is the last annotated speaker, usually the same person named again).
    """
    speakers = _spans(task, "SPEAKER")
    cues = _spans(task, "CUE")
    out = []
    stmts = _gold_statement_spans(gold_tags)
    starts = [x for x, _ in stmts]
    for a, b in stmts:
        cue = next((c for c in cues if b <= c[0] <= b + 3), None)
        before = False
        if cue is None:
            cue = next((c for c in reversed(cues) if a - 12 <= c[1] <= a), None)
            before = cue is not None
        spk = None
        coref = cue is not None and any(gold_tags[k].endswith("CUECOREF") for k in range(cue[0], cue[1]))
        if cue is not None and not coref:
            if before:
                spk = next((s for s in reversed(speakers) if cue[0] - 12 <= s[1] <= cue[0] + 1), None)
                if spk is None:
                    spk = next((s for s in speakers if cue[1] <= s[0] <= cue[1] + 8 and s[1] <= a), None)
            else:
                nxt_stmt = next((x for x in starts if x >= b), len(task))
                spk = next((s for s in speakers if cue[1] <= s[0] <= cue[1] + 12 and s[0] < nxt_stmt), None)
                if spk is None:
                    spk = next(
                        (s for s in reversed(speakers) if cue[0] - 6 <= s[1] <= cue[0] and s[0] >= b), None
                    )
        if coref and cue is not None:
            person = next((s for s in reversed(speakers) if s[1] <= a), None)
            out.append(GoldAttribution((a, b), cue, person))
        else:
            out.append(GoldAttribution((a, b), spk, spk))
    return out


def _same_person(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two mentions name the same person: their words without titles are one spelling of one name, or one is
    part of the other ("Eddy" / "Eddy Christijanto"; not "Sri Mulyani" / "Sri Soelistyowati")."""
    from warta.understand.speakers import similar_names

    titles = lexicon().titles
    na = " ".join(w for w in a if w[:1].isupper() and w not in titles)
    nb = " ".join(w for w in b if w[:1].isupper() and w not in titles)
    return bool(na and nb) and similar_names(na, nb)


def score(sents: list[list[tuple[str, str]]]) -> dict[str, object]:
    """Token-level P/R/F1 per label and attribution accuracy of `analyze_stream` on a BILOU-tagged corpus.

    A token counts for a label when gold and prediction both give it that label (gold SPEAKER = PERSON +
    PERSONCOREF, CUE = CUE + CUECOREF). ``attribution``: the share of gold statements (with a gold speaker)
    whose predicted speaker mention overlaps the gold speaker mention (`gold_attributions`; for "katanya" both
    are the clitic). ``attribution_person``: the share whose credited person (for a clitic, what it resolves
    to) overlaps the gold one or names the same person (`_same_person`); ``attribution_antecedent_span``: the
    share whose credited person overlaps the gold person span itself (a clitic resolved to another mention
    of the same person fails it).
    """
    words = [[t for t, _ in s] for s in sents]
    tags, quotes = analyze_stream(words)
    gold_raw = [t for s in sents for _, t in s]
    gold = [to_task_tag(t) for t in gold_raw]
    pred = [t[2:] if t != "O" else "O" for s in tags for t in s]
    result: dict[str, object] = {"tokens": len(gold)}
    for lab in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        result[lab] = (prec, rec, f1)
    # attribution
    golds = gold_attributions(gold_raw, gold)
    flat = [w for s in words for w in s]

    def overlaps(x: tuple[int, int] | None, y: tuple[int, int] | None) -> bool:
        return x is not None and y is not None and x[0] < y[1] and y[0] < x[1]

    strict = resolved = antecedent = counted = 0
    for g in golds:
        if g.mention is None:
            continue
        a, b = g.statement
        counted += 1
        pred_q = max(
            (q for q in quotes if q.statement[0] < b and a < q.statement[1]),
            key=lambda q: min(b, q.statement[1]) - max(a, q.statement[0]),
            default=None,
        )
        if pred_q is None:
            continue
        strict += overlaps(pred_q.mention, g.mention)
        p, gp = pred_q.person, g.person
        antecedent += overlaps(p, gp)
        if p is not None and gp is not None:
            resolved += overlaps(p, gp) or _same_person(flat[p[0] : p[1]], flat[gp[0] : gp[1]])
    result["attribution"] = strict / counted if counted else 0.0  # the measure
    result["attribution_person"] = resolved / counted if counted else 0.0  # the same person is credited
    result["attribution_antecedent_span"] = antecedent / counted if counted else 0.0
    result["attribution_n"] = counted
    result["statements"] = len(golds)
    # Quote-level view: predicted quotes that overlap no annotated statement, and annotated ones missed.
    unmatched = [q for q in quotes if not any(gold[k] == "STATEMENT" for k in range(*q.statement))]
    result["quotes_predicted"] = len(quotes)
    result["quotes_unmatched"] = len(unmatched)
    result["quotes_unmatched_tokens"] = sum(b - a for a, b in (q.statement for q in unmatched))
    result["statements_missed"] = sum(
        1
        for g in golds
        if not any(q.statement[0] < g.statement[1] and g.statement[0] < q.statement[1] for q in quotes)
    )
    return result


# ---------------------------------------------------------------------------------------------- training


def read_corpus(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag) from a PFSA-ID style file: token, tab, ..., BILOU tag last."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        parts = line.split("\t")
        cur.append((parts[0], parts[-1].strip() if len(parts) > 1 else "O"))
    if cur:
        sents.append(cur)
    return sents


def to_task_tag(tag: str) -> str:
    """A PFSA-ID BILOU tag as the task's label: STATEMENT, SPEAKER (PERSON, PERSONCOREF), CUE (CUE, CUECOREF) or O."""
    if tag == "O" or "-" not in tag:
        return "O"
    label = tag.split("-", 1)[1]
    if label == "STATEMENT":
        return "STATEMENT"
    if label in ("PERSON", "PERSONCOREF"):
        return "SPEAKER"
    if label in ("CUE", "CUECOREF"):
        return "CUE"
    return "O"


def to_bio(labels: Sequence[str]) -> list[str]:
    out: list[str] = []
    prev = "O"
    for lab in labels:
        out.append("O" if lab == "O" else ("I-" if lab == prev else "B-") + lab)
        prev = lab
    return out


def _features(words: Sequence[str], rule_tags: Sequence[str], i: int) -> list[str]:
    w = words[i]
    feats = [
        f"w={w.lower()}",
        f"rule={rule_tags[i][2:] if rule_tags[i] != 'O' else 'O'}",
        f"shape={_shape(w)}",
    ]
    for d in (-2, -1, 1, 2):
        j = i + d
        if 0 <= j < len(words):
            feats.append(f"w{d}={words[j].lower()}")
            feats.append(f"rule{d}={rule_tags[j][2:] if rule_tags[j] != 'O' else 'O'}")
        else:
            feats.append(f"w{d}=<pad>")
    return feats


def _shape(w: str) -> str:
    if w in DOUBLE:
        return "Q"
    if w.isupper():
        return "AA"
    if w[:1].isupper():
        return "Aa"
    if w.isdigit():
        return "0"
    if w.isalpha():
        return "a"
    return "."


def train_from_corpus(corpus_dir: Path, out_path: Path) -> int:
    """Train a CRF quote tagger on every *.txt file under corpus_dir (PFSA-ID format) and write it to out_path.

    The CRF sees the words around each token and the rule-based extractor's tags as features, so it
    learns where a corpus's conventions differ from warta's rules. Returns an exit code.
    """
    import pycrfsuite

    files = sorted(p for p in Path(corpus_dir).rglob("*.txt")) if Path(corpus_dir).is_dir() else []
    if not files:
        print(f"warta: no *.txt corpus files under {corpus_dir}", file=sys.stderr)
        return 1
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for f in files:
        sents = read_corpus(f)
        words = [[t for t, _ in s] for s in sents]
        rule, _ = analyze_stream(words)
        for s, ws, rt in zip(sents, words, rule, strict=True):
            labels = to_bio([to_task_tag(tag) for _, tag in s])
            trainer.append([_features(ws, rt, i) for i in range(len(ws))], labels)
            n += 1
    trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out_path))
    print(
        f"warta: trained a quote tagger on {n} sentences from {len(files)} files -> {out_path}",
        file=sys.stderr,
    )
    return 0


__all__ = [
    "LABELS",
    "TaggedQuote",
    "analyze_stream",
    "is_dateline",
    "GoldAttribution",
    "gold_attributions",
    "read_corpus",
    "score",
    "tag_conll",
    "to_task_tag",
    "train_from_corpus",
]
