"""Build warc/contoh.warc.gz from the fictional pages in this folder (run: python examples/make_warc.py).

The second record is a fictional wire rewrite written for warta, kept here so that the WARC carries two articles.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).parent

WIRE_PAGE = """<!DOCTYPE html>
<!-- Fictional example page written for the warta project. Not a real article. -->
<html lang="id"><head><meta charset="utf-8">
<title>Menteri Luar Negeri Nusantara Timur Tolak Tuduhan Blokade - Kabar Sentosa</title>
<meta property="og:site_name" content="Kabar Sentosa">
<meta property="article:published_time" content="2025-03-11T09:20:00+07:00">
</head><body><nav><a href="/">Beranda</a> <a href="/dunia">Dunia</a></nav>
<article><h1>Menteri Luar Negeri Nusantara Timur Tolak Tuduhan Blokade</h1>
<p>Kabar Sentosa - Menteri Luar Negeri Nusantara Timur Arman Setiadi menolak tuduhan bahwa negaranya memblokade jalur pelayaran di Selat Permata.</p>
<p>"Tidak ada blokade. Kapal-kapal dagang tetap melintas seperti biasa," kata Arman dilansir dari Reuters, Selasa (11/3/2025).</p>
<p>Menurutnya, patroli laut yang dilakukan angkatan laut hanya pemeriksaan rutin.</p>
<p>Juru Bicara Kementerian Luar Negeri Republik Samudra, Nadia Putri, sebelumnya menuding Nusantara Timur menghambat kapal-kapal berbendera Samudra.</p>
<p>Baca juga: <a href="https://kabarsentosa.example/dunia/2025/03/10/selat-permata">Ketegangan di Selat Permata Meningkat</a></p>
<p>Kedua negara dijadwalkan bertemu di Kota Sentosa pekan depan untuk membahas keamanan jalur pelayaran.</p>
</article><footer>Contoh fiktif untuk warta.</footer></body></html>
"""


def record(writer: WARCWriter, url: str, html: bytes) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(html), http_headers=headers))


def main() -> None:
    out = HERE / "warc" / "contoh.warc.gz"
    out.parent.mkdir(exist_ok=True)
    with out.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        record(writer, "https://kabarsentosa.example/daerah/2025/03/10/banjir-tiga-kecamatan",
               (HERE / "html" / "kabarsentosa-2025-03-10-banjir.html").read_bytes())
        record(writer, "https://kabarsentosa.example/dunia/2025/03/11/tolak-tuduhan-blokade", WIRE_PAGE.encode())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
