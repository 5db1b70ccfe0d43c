"""Signatures, the key index and the duplicate index (no shared data needed)."""

from __future__ import annotations

import numpy as np

from warta.group.duplicates import DuplicateIndex, MinHashConfig, band_keys, fingerprint, normalise_words
from warta.group.keyindex import KeyIndex

TEXT = (
    "Menteri Keuangan Purbaya Yudhi Sadewa menilai kepala daerah penting dalam menjaga inflasi. "
    "Dengan mengendalikan inflasi maka popularitas kepala daerah akan meningkat. Dari 38 provinsi, "
    "37 di antaranya tercatat inflasi positif, hanya satu provinsi yaitu Maluku Utara yang mengalami "
    "sedikit deflasi. Menurutnya inflasi yang terkendali dapat menjaga stabilitas sosial politik dan "
    "membuat masyarakat merasa tenang sehingga kepala daerah hampir pasti terpilih lagi."
)
OTHER = (
    "Hujan deras yang mengguyur wilayah Semarang dan sekitarnya menyebabkan banjir menggenangi Jalan "
    "Pantura Kaligawe Raya. Akibatnya arus lalu lintas macet hingga enam kilometer dan banyak motor mogok "
    "karena air setinggi lutut orang dewasa menutup badan jalan pagi ini."
)


def test_normalise_words_folds_case_punctuation_and_typographic_quotes() -> None:
    assert normalise_words("“Saya siap!” kata PRABOWO—di Jakarta…") == [b"saya", b"siap", b"kata", b"prabowo", b"di", b"jakarta"]


def test_fingerprint_is_deterministic_and_batch_independent() -> None:
    one = fingerprint([TEXT])
    batch = fingerprint([OTHER, TEXT, "", "dua kata"])
    assert np.array_equal(one.signatures[0], batch.signatures[1])
    assert one.exact[0] == batch.exact[1]
    assert batch.words.tolist()[2:] == [0, 2]
    # an empty text has the empty signature; a two-word text still gets a real one
    assert np.all(batch.signatures[2] == 0xFFFFFFFF)
    assert not np.all(batch.signatures[3] == 0xFFFFFFFF)


def test_exact_hash_ignores_case_and_punctuation_only() -> None:
    fp = fingerprint([TEXT, TEXT.upper().replace(".", " ."), TEXT.replace("38", "39")])
    assert fp.exact[0] == fp.exact[1]
    assert fp.exact[0] != fp.exact[2]


def test_band_keys_shape_and_equality() -> None:
    cfg = MinHashConfig(num_perm=64, bands=16, rows=4)
    fp = fingerprint([TEXT, TEXT, OTHER], cfg)
    keys = band_keys(fp.signatures, cfg)
    assert keys.shape == (3, 16)
    assert np.array_equal(keys[0], keys[1])
    assert len(set(keys[0].tolist()) & set(keys[2].tolist())) == 0
    assert len(set(keys[0].tolist())) == 16  # bands never collide with each other


def test_key_index_lookup_across_buffer_and_merged_arrays() -> None:
    index = KeyIndex(min_buffer=4)
    index.insert([10, 20], 0)
    index.insert([20, 30], 1)  # crosses the buffer limit: folded into the sorted arrays
    index.insert([30, 40], 2)  # stays in the buffer
    assert index.lookup(np.array([20], dtype=np.uint64)) == {0, 1}
    assert index.lookup(np.array([30], dtype=np.uint64)) == {1, 2}
    assert index.lookup(np.array([99], dtype=np.uint64)) == set()
    keys, docs = index.arrays()
    assert keys.tolist() == sorted(keys.tolist()) and len(index) == 6 and docs.size == 6


def test_duplicate_index_finds_exact_and_near_copies_not_unrelated() -> None:
    index = DuplicateIndex(min_similarity=0.3)
    edited = TEXT.replace("hampir pasti terpilih lagi", "kemungkinan besar dipilih kembali oleh warga")
    texts = [TEXT, OTHER, TEXT, edited]
    fp = fingerprint(texts)
    results = [index.add(fp.signatures[i], int(fp.exact[i])) for i in range(len(texts))]
    assert results[0] == (0, []) and results[1] == (1, [])
    doc, matches = results[2]
    assert doc == 2 and matches[0].doc == 0 and matches[0].exact and matches[0].similarity == 1.0
    _, near = results[3]
    assert {m.doc for m in near} == {0, 2}
    assert all(not m.exact and 0.5 < m.similarity < 1.0 for m in near)


def test_duplicate_index_survives_dumps_loads() -> None:
    cfg = MinHashConfig()
    index = DuplicateIndex(cfg)
    fp = fingerprint([TEXT, OTHER, TEXT])
    index.add(fp.signatures[0], int(fp.exact[0]))
    index.add(fp.signatures[1], int(fp.exact[1]))
    again = DuplicateIndex.loads(index.dumps(), cfg, 0.3)
    doc, matches = again.add(fp.signatures[2], int(fp.exact[2]))
    assert doc == 2 and [m.doc for m in matches] == [0]


def test_index_memory_per_document_is_small() -> None:
    index = DuplicateIndex()
    texts = [f"{TEXT} nomor {i} " + " ".join(f"kata{i}x{j}" for j in range(40)) for i in range(300)]
    fp = fingerprint(texts)
    for i in range(len(texts)):
        index.add(fp.signatures[i], int(fp.exact[i]))
    index.keys.flush()
    assert index.nbytes / index.size <= 2048


def test_add_many_answers_like_add_one_by_one() -> None:
    import random

    rng = random.Random(3)
    base = [TEXT, OTHER, TEXT + " " + OTHER]
    texts = []
    for i in range(60):
        words = rng.choice(base).split()
        if i % 3:
            words = [w for w in words if rng.random() > 0.1] + [f"tambahan{i}"]
        texts.append(" ".join(words))
    texts += ["", TEXT]
    fp = fingerprint(texts)
    one = DuplicateIndex(min_similarity=0.3)
    seq = [one.add(fp.signatures[i], int(fp.exact[i])) for i in range(len(texts))]
    many = DuplicateIndex(min_similarity=0.3)
    batched = many.add_many(fp.signatures[:25], fp.exact[:25], depth=100) + many.add_many(
        fp.signatures[25:], fp.exact[25:], depth=100
    )
    assert [d for d, _ in batched] == [d for d, _ in seq]
    for (_, a), (_, b) in zip(seq, batched, strict=True):
        assert {(m.doc, m.exact, round(m.similarity, 6)) for m in a} == {(m.doc, m.exact, round(m.similarity, 6)) for m in b}
    assert any(m.exact for m in batched[-1][1]) and batched[-2][1] == []
    # and a single add after batches still sees everything
    doc, matches = many.add(fp.signatures[0], int(fp.exact[0]))
    assert doc == len(texts) and any(m.exact and m.doc == 0 for m in matches)
