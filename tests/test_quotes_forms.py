"""Quote forms on hand-made Indonesian sentences: marks, cue positions, indirect forms, speaker mentions."""

from __future__ import annotations

import pytest

from warta.record import Article, Entity, Mention
from warta.understand.quotes import add_quotes


def _quotes(
    *body: str, entities: list[Entity] | None = None
) -> list[tuple[int, str, str | None, str, str | None, str | None]]:
    article = add_quotes(Article(body=list(body), entities=entities or []))
    out: list[tuple[int, str, str | None, str, str | None, str | None]] = []
    for q in article.quotes:
        assert body[q.paragraph][q.start : q.end] == q.text
        m = q.speaker.mention
        if m is not None:
            span = body[m.paragraph][m.start : m.end]
            assert span == m.text or (m.text == "-nya" and span == "nya"), (span, m.text)
        out.append((q.paragraph, q.kind, q.cue, q.text, m.text if m else None, q.speaker.name))
    return out


@pytest.mark.parametrize(
    ("paragraph", "text", "cue", "mention"),
    [
        (
            "“Kami siap menghadapi tantangan ini,” kata Menteri Keuangan Sri Mulyani di Jakarta, Senin (3/2).",
            "Kami siap menghadapi tantangan ini,",
            "kata",
            "Sri Mulyani",
        ),
        ('"Ini bukan aib," ujar Budi.', "Ini bukan aib,", "ujar", "Budi"),
        ("„Ini bukan aib,” ujar Budi.", "Ini bukan aib,", "ujar", "Budi"),
        ("«Saya tidak tahu,» katanya.", "Saya tidak tahu,", "kata", "-nya"),
        ("'Kami akan kembali,' tutur Andi kepada wartawan.", "Kami akan kembali,", "tutur", "Andi"),
        ("”Kami sudah bekerja,” ucap Kepala BPS Suhariyanto.", "Kami sudah bekerja,", "ucap", "Suhariyanto"),
        ('"Saya siap!" seru dia.', "Saya siap!", "seru", "dia"),
        (
            'Presiden Joko Widodo mengatakan, "Semua program harus jalan minggu ini."',
            "Semua program harus jalan minggu ini.",
            "mengatakan",
            "Joko Widodo",
        ),
        ('Kata Anies: "Jakarta siap."', "Jakarta siap.", "kata", "Anies"),
        (
            '"Kami akan mengumumkan keadaan darurat," kata kepala kabinet Ernesto Alvarez dalam konferensi pers.',
            "Kami akan mengumumkan keadaan darurat,",
            "kata",
            "Ernesto Alvarez",
        ),
        (
            '"Kami sudah bekerja keras. Hasilnya akan terlihat," ujar Kapolda Metro Jaya Irjen Fadil Imran.',
            "Kami sudah bekerja keras. Hasilnya akan terlihat,",
            "ujar",
            "Fadil Imran",
        ),
    ],
)
def test_direct_quote_marks_and_cues(paragraph: str, text: str, cue: str, mention: str) -> None:
    got = _quotes(paragraph)
    assert [(g[1], g[2], g[3], g[4]) for g in got] == [("direct", cue, text, mention)]


def test_interrupted_quote_has_both_parts() -> None:
    got = _quotes('"Kami sudah bekerja," kata Fadil, "dan hasilnya akan terlihat minggu depan."')
    assert [(g[3], g[4]) for g in got] == [
        ("Kami sudah bekerja,", "Fadil"),
        ("dan hasilnya akan terlihat minggu depan.", "Fadil"),
    ]


def test_quote_over_paragraphs_takes_the_speaker_of_its_last_part() -> None:
    got = _quotes(
        "Gubernur Ridwan Kamil menegaskan, pembangunan jalan tol akan selesai tahun ini.",
        '"Tidak ada penundaan lagi. Semua pihak sudah sepakat.',
        '"Kami akan mengawasi langsung prosesnya," tegasnya.',
    )
    assert got[0][:4] == (0, "indirect", "menegaskan", "pembangunan jalan tol akan selesai tahun ini")
    assert got[1][:4] == (1, "direct", "tegas", "Tidak ada penundaan lagi. Semua pihak sudah sepakat.")
    assert got[2][:4] == (2, "direct", "tegas", "Kami akan mengawasi langsung prosesnya,")
    assert {g[5] for g in got} == {"Ridwan Kamil"}


def test_indirect_forms_and_pronouns_resolve_to_the_last_speaker() -> None:
    got = _quotes(
        "Ketua KPK Firli Bahuri menyatakan bahwa penyidikan terus berjalan.",
        "Menurut dia, tersangka akan segera dipanggil.",
        "Pihaknya juga menegaskan bahwa tidak ada intervensi dalam kasus itu.",
        "Harga beras naik karena pasokan berkurang, tegasnya.",
        "Sementara itu, Aziz Yanuar, anggota tim kuasa hukum, mengatakan kliennya tidak bersalah.",
    )
    assert got == [
        (0, "indirect", "menyatakan", "penyidikan terus berjalan", "Firli Bahuri", "Firli Bahuri"),
        (1, "indirect", "menurut", "tersangka akan segera dipanggil", "dia", "Firli Bahuri"),
        (2, "indirect", "menegaskan", "tidak ada intervensi dalam kasus itu", "Pihaknya", "Firli Bahuri"),
        (3, "indirect", "tegas", "Harga beras naik karena pasokan berkurang", "-nya", "Firli Bahuri"),
        (4, "indirect", "mengatakan", "kliennya tidak bersalah", "Aziz Yanuar", "Aziz Yanuar"),
    ]


def test_clitic_mention_covers_nya() -> None:
    body = "Menurutnya, harga cabai akan turun pekan depan."
    article = add_quotes(Article(body=[body]))
    (q,) = article.quotes
    assert q.cue == "menurut" and q.text == "harga cabai akan turun pekan depan"
    assert q.speaker.mention is not None
    assert (q.speaker.mention.start, q.speaker.mention.end, q.speaker.mention.text) == (7, 10, "-nya")


@pytest.mark.parametrize(
    "paragraph",
    [
        'Warga menyebut kawasan itu sebagai "kampung hijau" sejak lama.',
        "Data yang menyebutkan kenaikan harga itu dirilis kemarin.",
        "Barat dan Kiev baru-baru ini menyuarakan tuduhan tentang potensi invasi Rusia ke Ukraina.",
        "Film 'Garis Merah' diputar di bioskop mulai pekan ini.",
        "Harga cabai naik tajam di pasar tradisional.",
        "Anggota Komisi V DPR RI Adian Napitupulu menegaskan dukungannya terhadap keputusan Purbaya.",
        "Sekretaris Jenderal Kementerian Sosial Robben Rico menegaskan komitmen Kemensos dalam membangun sistem merit.",
    ],
)
def test_no_quote_invented(paragraph: str) -> None:
    assert _quotes(paragraph) == []


def test_speaker_resolved_to_entity_through_name_role_and_clitic() -> None:
    body = [
        "Kapolda Metro Jaya Irjen Fadil Imran mengatakan, pelaku sudah ditangkap.",
        '"Kami masih memburu dua pelaku lain," kata Kapolda.',
        '"Mereka sudah kami kenali," ujarnya.',
        '"Peskov tidak hadir," kata Imran.',
    ]
    fadil = Entity(
        id="per-fadil",
        name="Fadil Imran",
        type="PER",
        role="Kapolda Metro Jaya",
        mentions=[Mention(paragraph=0, start=25, end=36, text="Fadil Imran")],
    )
    article = add_quotes(Article(body=body, entities=[fadil]))
    assert [q.speaker.entity_id for q in article.quotes] == ["per-fadil"] * 4
    assert [q.speaker.mention.text for q in article.quotes if q.speaker.mention] == [
        "Fadil Imran",
        "Kapolda",
        "-nya",
        "Imran",
    ]


def test_without_entities_spellings_cluster_to_the_most_frequent() -> None:
    got = _quotes(
        "Juru Bicara Kremlin Dmitry Preskov menjelaskan Rusia siap berunding soal keamanan.",
        '"Kami siap berbicara," kata Dmitry Peskov.',
        '"Ukraina hanya bagian dari masalah," kata Dmitry Peskov.',
    )
    assert [g[5] for g in got] == ["Dmitry Peskov"] * 3
    assert got[0][4] == "Dmitry Preskov"


def test_salient_subject_is_the_antecedent_of_katanya() -> None:
    got = _quotes(
        '"Anggaran sudah cair," kata Menteri Keuangan Sri Mulyani.',
        "Kepala Dinas Pendidikan Jawa Barat Dedi Supandi mencontohkan sekolah di Bogor yang rusak.",
        '"Perbaikan dimulai pekan depan," katanya.',
    )
    assert got[-1][5] == "Dedi Supandi"


def test_bad_input_gives_no_crash() -> None:
    assert _quotes("", '"', '""', "“”", '"," kata', "kata", "menurut") == []


def test_name_between_commas_after_a_role_and_before_circumstances() -> None:
    got = _quotes(
        "Kepala Seksi Humas Bandara Internasional Lombok (BIL), Eka Asmadi, saat dihubungi dari Mataram, Kamis, "
        "mengatakan, pembatalan penerbangan dilakukan mulai pagi ini."
    )
    assert [(g[2], g[4]) for g in got] == [("mengatakan", "Eka Asmadi")]


def test_bare_name_after_a_connective_and_a_role_between_commas() -> None:
    got = _quotes(
        "Sementara itu, Kepala Otorita IKN, Basuki Hadimuljono, menegaskan bahwa pihaknya akan bertindak tegas."
    )
    assert [(g[2], g[3], g[4]) for g in got] == [
        ("menegaskan", "pihaknya akan bertindak tegas", "Basuki Hadimuljono")
    ]


@pytest.mark.parametrize(
    ("paragraph", "mention"),
    [
        (
            '"Belum tahu," kata Kepala Dusun Nglahar, Kelurahan Sumbersari, Kecamatan Moyudan, Wahyu Wibowo di Sleman.',
            "Wahyu Wibowo",
        ),
        (
            '"Tes kami perbanyak," kata juru bicara Gugus Tugas Penanganan Covid-19 Kabupaten Pemalang, Tutuko Raharjo.',
            "Tutuko Raharjo",
        ),
        ('"Kami siap," kata Gubernur Jawa Barat Ridwan Kamil, Jakarta, Senin (3/2).', "Ridwan Kamil"),
        (
            '"Tes harus cepat," kata CEO IATA Alexandre de Juniac dalam keterangan pers.',
            "Alexandre de Juniac",
        ),
        (
            "Co-founder Haveltea Ifana Azizah menyatakan, acara itu menjadi panggung bagi teh lokal.",
            "Ifana Azizah",
        ),
    ],
)
def test_long_roles_before_the_name(paragraph: str, mention: str) -> None:
    assert [g[4] for g in _quotes(paragraph)] == [mention]


def test_rank_before_the_name_after_a_role() -> None:
    got = _quotes(
        '"Sebagian pelaku masih pelajar," kata Kasubdit IV Renakta Ditreskrimum Polda Lampung, AKBP Ferdiyan Fahmi, '
        "di Bandarlampung, Selasa."
    )
    assert [(g[2], g[4]) for g in got] == [("kata", "Ferdiyan Fahmi")]


def test_place_inside_an_office_name_is_not_the_speaker() -> None:
    body = "Pemerintah Provinsi Jawa Tengah meminta klarifikasi terkait merek itu kepada warga."
    jateng = Entity(
        id="loc-jateng",
        name="Jawa Tengah",
        type="LOC",
        mentions=[Mention(paragraph=0, start=20, end=31, text="Jawa Tengah")],
    )
    article = add_quotes(Article(body=[body], entities=[jateng]))
    (q,) = article.quotes
    assert q.speaker.entity_id is None and q.speaker.name == "Pemerintah Provinsi Jawa Tengah"


def test_descriptions_point_back_and_anonymous_sources_stay_unnamed() -> None:
    got = _quotes(
        "Menteri PAN-RB Yuddy Chrisnandi mengatakan, kinerja pegawai akan dinilai.",
        '"Mereka yang tidak produktif akan pensiun dini," kata politisi Partai Hanura itu.',
        '"Dia menyewa 16 pengawal," ujar seorang sumber kepada situs Page Six.',
        '"Ekonomi membaik," kata mantan Menteri Keuangan Chatib Basri.',
    )
    assert [(g[4], g[5]) for g in got] == [
        ("Yuddy Chrisnandi", "Yuddy Chrisnandi"),
        ("politisi Partai Hanura itu", "Yuddy Chrisnandi"),
        ("seorang sumber", None),
        ("Chatib Basri", "Chatib Basri"),
    ]


def test_pages_in_other_languages_get_no_quotes() -> None:
    article = add_quotes(
        Article(body=['"We must manage peatlands better," the minister said.'], language="en")
    )
    assert article.quotes == []


def test_unclosed_quote_is_kept_and_reported() -> None:
    body = ['"Kami sudah bekerja keras untuk warga kota ini, kata Wali Kota Budi di balai kota.']
    article = add_quotes(Article(body=body))
    assert any("never closed" in w for w in article.provenance.warnings)
    closed = add_quotes(Article(body=['"Kami sudah bekerja keras," kata Budi.']))
    assert closed.provenance.warnings == []


def test_coach_role_and_hearsay() -> None:
    got = _quotes(
        '"Itu masalah yang harus kami selesaikan," kata pelatih West Ham, Nuno Espirito Santo.',
        '"Kami tahu Sabtu akan menjadi ujian," tegasnya.',
        "Viral di media sosial video Menteri Keuangan yang disebut menyatakan guru sebagai beban negara.",
    )
    assert [(g[4], g[5]) for g in got] == [
        ("Nuno Espirito Santo", "Nuno Espirito Santo"),
        ("-nya", "Nuno Espirito Santo"),
    ]


def test_subject_with_a_role_holding_commas_is_the_antecedent() -> None:
    got = _quotes(
        '"Biaya energi dominan," kata Ivan.',
        "Dari sisi kawasan industri, Marfan Trihartiko, Kepala Divisi Operasi, IT dan Services PT KITB, "
        "menggarisbawahi bahwa pertumbuhan kawasan ditentukan lokasi.",
        '"KITB berterima kasih," tuturnya.',
    )
    assert got[-1][5] == "Marfan Trihartiko"


@pytest.mark.parametrize("with_entity", [False, True])
def test_an_office_as_speaker_resolves_to_its_holder(with_entity: bool) -> None:
    body = [
        "Kapolda Metro Jaya Irjen Fadil Imran mengatakan, pelaku sudah ditangkap.",
        '"Kami masih memburu dua pelaku lain," kata Kapolda Metro Jaya.',
    ]
    entities = (
        [
            Entity(
                id="per-fadil",
                name="Fadil Imran",
                type="PER",
                role="Kapolda Metro Jaya",
                mentions=[Mention(paragraph=0, start=25, end=36, text="Fadil Imran")],
            )
        ]
        if with_entity
        else []
    )
    q = add_quotes(Article(body=body, entities=entities)).quotes[1]
    assert q.speaker.name == "Fadil Imran"
    assert q.speaker.mention is not None and q.speaker.mention.text == "Kapolda Metro Jaya"
    assert q.speaker.entity_id == ("per-fadil" if with_entity else None)


def test_hal_itu_disampaikan_credits_the_sentence_before() -> None:
    got = _quotes(
        "Pemerintah akan menaikkan harga BBM pekan depan.",
        "Hal itu disampaikan Menteri ESDM Bahlil Lahadalia di Jakarta, Senin.",
        "Harga beras naik tajam. Hal serupa disampaikan Menteri Perdagangan Budi Santoso.",
        "Sebelumnya, harga gula turun. Hal itu dikatakan oleh Kepala BPS Amalia.",
    )
    assert [(g[0], g[2], g[3], g[5]) for g in got] == [
        (0, "disampaikan", "Pemerintah akan menaikkan harga BBM pekan depan", "Bahlil Lahadalia")
    ]


def test_office_name_before_a_person_without_a_title() -> None:
    got = _quotes(
        "Pengaduan ke OJK mencapai 12.349 laporan. Hal itu diungkapkan Kepala Eksekutif Pengawas Perilaku Pelaku "
        "Usaha Jasa Keuangan, Edukasi dan Perlindungan Konsumen OJK Friderica Widyasari Dewi."
    )
    assert [g[5] for g in got] == ["Friderica Widyasari Dewi"]


def test_a_suspect_named_by_role_is_the_antecedent_of_his_denial() -> None:
    got = _quotes(
        '"Ancaman pidana maksimal 15 tahun penjara," imbuh Budi.',
        "Sementara tersangka M memohon maaf atas kegaduhan itu. Dia pun membantah telah mencabuli muridnya.",
        '"Tidak benar. Saya meminta maaf kepada keluarga," ujarnya dengan nada lesu.',
    )
    assert got[-1][5] == "M"


def test_handles_as_speakers_and_objects_that_are_not_statements() -> None:
    got = _quotes(
        '"Gol pertama itu indah," kata @HyginusEke5736.',
        "Presiden Prabowo Subianto akhirnya menjelaskan alasan perubahan badan itu. Menurutnya, langkah ini "
        "merupakan permintaan langsung dari pemerintah Arab Saudi.",
    )
    assert [(g[2], g[4], g[5]) for g in got] == [
        ("kata", "@HyginusEke5736", "@HyginusEke5736"),
        ("menurut", "-nya", "Prabowo Subianto"),
    ]


@pytest.mark.parametrize(
    ("paragraph", "mention"),
    [
        ('"Rodanya anjlok," kata Manajer Humas PT KAI Daop 8 Surabaya Suprapto.', "Surabaya Suprapto"),
        (
            '"Kami memeriksa saksi," kata Kepala Satuan Lalu Lintas Polres Sleman AKP Mega Tetuko.',
            "Mega Tetuko",
        ),
    ],
)
def test_numbers_and_connectives_inside_an_office_name(paragraph: str, mention: str) -> None:
    """A number ("Daop 8") or a capitalised connective ("Lalu Lintas") inside an office's name does not end it
    (without entities the name is the last two words; with them, the entity's)."""
    assert [g[4] for g in _quotes(paragraph)] == [mention]


@pytest.mark.parametrize(
    ("paragraphs", "name"),
    [
        (
            (
                "Sementara Ahmad Riza Patria, Wakil Gubernur DKI Jakarta, di Balai Kota DKI, Kamis (5/11/2020), "
                "menyampaikan, penanganan banjir dibahas dalam instruksi gubernur.",
                "“Melalui Ingub No 52 penanganan lebih komprehensif,” katanya.",
            ),
            "Ahmad Riza Patria",
        ),
        (
            (
                "Pengamat ekonomi dari Universitas Bengkulu, Kamaludin, menilai, masalah ekonomi di Bengkulu bukan "
                "semata-mata keterisolasian daerah.",
                "“Bangka Belitung yang jauh bisa, Bengkulu tidak?” ucapnya.",
            ),
            "Kamaludin",
        ),
        (
            (
                "Melihat fenomena tersebut, sosiolog Universitas Negeri Jakarta, Rakhmat Hidayat, mengingatkan, "
                "kemarahan masyarakat kian menghilangkan kepercayaan.",
                "“Masyarakat menunggu ketegasan Pemprov,” ujarnya.",
            ),
            "Rakhmat Hidayat",
        ),
    ],
)
def test_the_clause_subject_before_asides_is_the_speaker(paragraphs: tuple[str, str], name: str) -> None:
    """Appositions, circumstances and dates between the subject and its verb are skipped, and a field of
    expertise ("sosiolog") is a title: "katanya" afterwards points to that subject."""
    got = _quotes(*paragraphs)
    assert got[-1][4] == "-nya" and got[-1][5] == name, got


def _person(name: str, paragraph: str) -> Entity:
    start = paragraph.index(name)
    return Entity(
        id="e1",
        name=name,
        type="PER",
        mentions=[Mention(paragraph=0, start=start, end=start + len(name), text=name)],
    )


@pytest.mark.parametrize(
    ("paragraph", "name"),
    [
        (
            '"Warga belum sadar," kata Camat Neglasari, Kabupaten Tangerang, Ubaidillah Ansar, Sabtu (18/5/2020).',
            "Ubaidillah Ansar",
        ),
        ('"Sehari sebelumnya," terang Ketua KPUD Muna, Kubais, Senin (7/9).', "Kubais"),
    ],
)
def test_a_person_after_place_segments_is_the_speaker(paragraph: str, name: str) -> None:
    """A bare segment between commas after an office is a place ("Jakarta") unless the entities say it is a
    person; then it is the speaker, named as the entity is."""
    got = _quotes(paragraph, entities=[_person(name, paragraph)])
    assert [(g[4], g[5]) for g in got] == [(name, name)]


def test_a_capitalised_stop_word_inside_an_office_name() -> None:
    """ "Dalam" ends a name ("kata Budi dalam ...") but not inside "Kementerian Dalam Negeri"."""
    paragraph = (
        '"Kita saling bantu," kata Direktur Jenderal Otonomi Daerah Kementerian Dalam Negeri Akmal Malik.'
    )
    got = _quotes(paragraph, entities=[_person("Akmal Malik", paragraph)])
    assert [g[5] for g in got] == ["Akmal Malik"]


def test_a_body_opening_a_sentence_is_not_what_katanya_points_to() -> None:
    """ "Satuan Tugas ... juga kembali menerapkan" says nothing: the "-nya" of the next quote is the person."""
    got = _quotes(
        "“Ini dimulai dari pegawai pemerintah,” ujar Kepala Dinas Kesehatan Provinsi Maluku Dony Rerung.",
        "Selain penelusuran dan tes, Satuan Tugas Penanganan Covid-19 Provinsi Maluku juga kembali menerapkan "
        "sistem bekerja dari rumah.",
        "“Nanti, setiap pegawai harus sehat,” ujarnya.",
    )
    assert [(g[4], g[5]) for g in got] == [("Dony Rerung", "Dony Rerung"), ("-nya", "Dony Rerung")]


def test_a_subject_with_a_place_and_a_date_before_its_verb() -> None:
    got = _quotes(
        "Kepala Satgas Covid-19 Kota Surabaya Irvan Widyanto di Surabaya, Rabu (15/7/2020), mengatakan, sanksi "
        "akan diberikan kepada perusahaan.",
        "“Saya lihat di Surabaya banyak yang patuh,” katanya.",
    )
    assert [g[5] for g in got] == ["Irvan Widyanto", "Irvan Widyanto"]


def test_menurut_a_titled_person_then_a_place_as_subject() -> None:
    """ "Menurut <office> <person>, Kalsel harus ...": with the entities, the person before the comma speaks."""
    paragraph = (
        "Menurut Dekan Fakultas Ekonomi Universitas Lambung Mangkurat Muhammad Handry Imansyah, Kalsel harus "
        "menyiapkan transformasi ekonomi."
    )
    got = _quotes(paragraph, entities=[_person("Muhammad Handry Imansyah", paragraph)])
    assert [g[5] for g in got] == ["Muhammad Handry Imansyah"]


@pytest.mark.parametrize(
    ("paragraph", "mention"),
    [
        (
            '"Kami tegas," kata Menteri Koordinator Bidang Politik, Hukum, dan Keamanan Mahfud MD dalam konferensi pers.',
            "Mahfud MD",
        ),
        (
            '"Sertifikasi tahun ini," ujar Menteri Riset dan Teknologi/Kepala Badan Riset dan Inovasi Nasional '
            "Bambang Brodjonegoro saat menghadiri uji terbang itu.",
            "Bambang Brodjonegoro",
        ),
    ],
)
def test_enumerations_and_slashes_inside_an_office(paragraph: str, mention: str) -> None:
    assert [g[4] for g in _quotes(paragraph)] == [mention]


def test_a_description_closed_by_ini_points_back() -> None:
    got = _quotes(
        "“Kita harus bersatu,” kata Ketua DPR Puan Maharani.",
        "“Semoga kemenangan ini membawa berkah,” kata politisi dari PDI-P ini.",
    )
    assert [(g[4], g[5]) for g in got] == [
        ("Puan Maharani", "Puan Maharani"),
        ("politisi dari PDI-P ini", "Puan Maharani"),
    ]


def test_demikian_pernyataan_names_the_source_of_a_quote() -> None:
    got = _quotes(
        '"Misi ini berjalan baik," demikian pernyataan resmi NASA.',
        '"Kami telah menahan dua orang," begitu keterangan tertulis Polri, Senin (3/2).',
    )
    assert [(g[1], g[2], g[3], g[4]) for g in got] == [
        ("direct", "pernyataan", "Misi ini berjalan baik,", "NASA"),
        ("direct", "keterangan", "Kami telah menahan dua orang,", "Polri"),
    ]


def test_appositions_aliases_and_bodies_around_the_speaker() -> None:
    got = _quotes(
        "Menurut Rizki Ameliah, Kepala Pusat Pengembangan Literasi Digital BPSDM Komdigi, pemerintah terus "
        "mendorong kerja sama dengan berbagai pihak.",
        "Menteri Sosial (Mensos), Saifullah Yusuf (Gus Ipul) mengatakan strategi pemerintah mulai menampakkan hasil.",
        '"Menjatuhkan sanksi peringatan keras," kata Ketua DKPP dalam sidang putusan, Selasa (21/10/2025).',
    )
    assert [(g[3], g[4]) for g in got] == [
        ("pemerintah terus mendorong kerja sama dengan berbagai pihak", "Rizki Ameliah"),
        ("strategi pemerintah mulai menampakkan hasil", "Saifullah Yusuf"),
        ("Menjatuhkan sanksi peringatan keras,", "Ketua DKPP"),
    ]


def test_an_office_then_its_holder_and_a_circumstance_before_bahwa() -> None:
    got = _quotes(
        "Kepala Kepolisian Peru, Jenderal Oscar Arriola, kemudian mengatakan pada Kamis (16/10) bahwa seorang "
        "polisi diyakini telah menembakkan peluru."
    )
    assert [(g[3], g[4]) for g in got] == [
        ("seorang polisi diyakini telah menembakkan peluru", "Oscar Arriola"),
    ]


def test_a_description_then_the_name_in_apposition() -> None:
    got = _quotes(
        '"Saya tidak menyangka akan menyaksikan ini," ujar seorang lansia, Colleen Hoffman (69), kepada AFP.',
        '"Kita berada dalam krisis," lanjutnya.',
        '"Kita berada dalam krisis," kata seorang sumber, Senin (3/2).',
    )
    assert [(g[4], g[5]) for g in got] == [
        ("Colleen Hoffman", "Colleen Hoffman"),
        ("-nya", "Colleen Hoffman"),
        ("seorang sumber", None),
    ]


@pytest.mark.parametrize(
    ("paragraphs", "name"),
    [
        (
            (
                "Dalam rapat kerja dengan Komisi XI DPR RI, Rabu, Menteri Keuangan Purbaya Sadewa mengingatkan "
                "bahwa pengetatan moneter yang terlalu cepat tidak berdampak signifikan.",
                "“Perlu dipahami bahwa inflasi ini dari sisi pasokan,” ujarnya.",
            ),
            "Purbaya Sadewa",
        ),
        (
            (
                "Ketua Institut Solidaritas Buruh Surabaya Domin Damayanti di Surabaya menuturkan, PHK sudah mulai "
                "terjadi sejak Maret.",
                "“Yang terkena PHK tidak mendapatkan upah,” katanya.",
            ),
            "Domin Damayanti",
        ),
        (
            (
                "Perwakilan PT Kereta Api Indonesia (Persero) Daerah Operasional 4 Semarang, Dian, menuturkan, potensi "
                "industri di Jawa Tengah sangat besar.",
                "“Saat ini kami siap mengangkut barang,” katanya.",
            ),
            "Dian",
        ),
    ],
)
def test_days_and_places_around_the_subject_do_not_speak(paragraphs: tuple[str, str], name: str) -> None:
    """Without entities: a day before an office ("Rabu, Menteri Keuangan ...") and a place after the name ("di
    Surabaya") are not the speaker; a long office before a bare name between commas is passed over."""
    assert [g[5] for g in _quotes(*paragraphs)] == [name, name]


def test_the_subject_of_a_passive_is_not_what_katanya_points_to() -> None:
    got = _quotes(
        "Sekretaris Jenderal PAN Eddy Soeparno menegaskan, kehadiran Zulkifli di kabinet menjaga stabilitas.",
        "Dengan pengalamannya, Zulkifli diyakini mampu melaksanakan tugasnya dengan baik.",
        "“Saya percaya kehadiran Bang Zul memperkuat tim ekonomi,” ujarnya.",
    )
    assert got[-1][4:] == ("-nya", "Eddy Soeparno")


def test_a_bare_name_between_commas_after_a_long_office_opens_the_sentence() -> None:
    got = _quotes(
        "“Kami takut tergusur,” ujar Kepala Adat Sibukdin.",
        "Peneliti di Lingkar Pembaruan Desa dan Agraria serta Pusat Kajian Etnografi Komunitas Adat, Yando Zakaria, "
        "mewanti-wanti pemerintah dalam pengadaan tanah.",
        "“Jika tidak ada kemauan, tanah adat tidak akan diakui,” katanya.",
    )
    assert got[-1][4:] == ("-nya", "Yando Zakaria")


def test_an_acronym_opening_a_sentence_is_not_what_katanya_points_to() -> None:
    got = _quotes(
        "Ekonom CORE Indonesia Piter Abdullah menilai, pelonggaran ini perlu.",
        "Dengan pelonggaran ini, BI menambah likuiditas perbankan sebesar Rp 102 triliun.",
        "“Pembiayaan utang akan sulit,” katanya.",
    )
    assert got[-1][4:] == ("-nya", "Piter Abdullah")


def test_a_name_with_its_age_between_commas_after_a_description() -> None:
    got = _quotes(
        "Sementara itu, salah satu pengemudi ojol asal Genuk, Wawan (35), mengaku banjir di Jalan Kaligawe sudah "
        "mulai sejak Selasa malam."
    )
    assert [(g[1], g[4]) for g in got] == [("indirect", "Wawan")]


def test_katanya_after_a_body_speaking_points_to_the_person_before() -> None:
    """ "-nya" stands for a person: a government that "menekankan" in between is passed over."""
    got = _quotes(
        "Kepala Satpol PP Jakarta Pusat, Yassin Pasaribu mengungkapkan akan memulai kembali razia di permukiman.",
        "Meskipun Pemerintah Provinsi Jakarta menekankan bahwa mereka kian meningkatkan kapasitas tes, tetap harus "
        "disertai kedisiplinan masyarakat.",
        "“Kami akan mengajak satpol menertibkan trotoar,” katanya.",
    )
    assert got[-1][4:] == ("-nya", "Yassin Pasaribu")


def test_the_subject_inside_a_statement_is_not_a_new_speaker() -> None:
    got = _quotes(
        "Ketua Gili Hotel Association Lalu Kusnawan, di Lombok Utara, Jumat (31/7/2020), mengatakan, dua perusahaan "
        "kapal cepat sudah beroperasi.",
        "Menurut Kusnawan, Blue Water Express beroperasi dua kali seminggu.",
        "“Blue Water sudah beroperasi hari ini,” katanya.",
    )
    assert got[-1][4:] == ("-nya", "Lalu Kusnawan")


def test_subjects_with_asides_and_statements_opened_by_menurutnya() -> None:
    got = _quotes(
        "Pelaksana Tugas Administrator NASA Sean Duffy, yang juga Menteri Perhubungan, Amerika Serikat, "
        "mengungkapkan hal mengejutkan itu.",
        '"Semua ilmu pengetahuan tentang iklim akan kami singkirkan," ujarnya.',
        "Luhut sendiri mengaku heran dengan pembiayaan utang Whoosh. Sebab, menurutnya saat ini utang kereta cepat "
        "hanya tinggal melalui proses restrukturisasi.",
    )
    assert [(g[4], g[5]) for g in got] == [("-nya", "Sean Duffy"), ("Luhut", "Luhut"), ("-nya", "Luhut")]


def test_informasi_ini_disampaikan_oleh_credits_the_sentence_before() -> None:
    got = _quotes(
        "Presiden Ramaphosa akan bertemu Presiden Prabowo siang ini di Istana Merdeka, Jakarta. Informasi ini "
        "disampaikan oleh Wakil Menteri Hubungan dan Kerja Sama Internasional Afsel, Alvin Botes. Menurutnya, "
        "kunjungan itu hanya berlangsung selama satu hari."
    )
    assert [(g[2], g[5]) for g in got] == [("disampaikan", "Alvin Botes"), ("menurut", "Alvin Botes")]
