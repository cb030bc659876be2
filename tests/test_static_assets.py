"""Static files: fingerprinted URLs, a year's immutable caching, gzip for who accepts it,
and the favicon fetched once a page (the header's logo is drawn inline)."""

from __future__ import annotations

import gzip
import re

from app import assets

STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"#]+)')


def test_every_static_url_of_a_page_carries_the_fingerprint(client):
    page = client.get("/").get_data(as_text=True)
    urls = STATIC_URL.findall(page)
    assert any("/static/css/app." in url for url in urls)
    for url in urls:
        assert assets.FINGERPRINTED.search(url), url


def test_a_fingerprinted_file_is_cached_a_year_immutable_and_sent_gzipped(app, client):
    url = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', client.get("/").text).group(1)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "public" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    with open(f"{app.static_folder}/css/app.css", "rb") as f:
        source = f.read()
    assert gzip.decompress(response.data) == source
    assert url == f"/static/css/app.{assets.digest_of(f'{app.static_folder}/css/app.css')}.css"
    response.close()


def test_without_gzip_the_plain_file_is_sent_and_the_plain_url_is_cached_briefly(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == f"max-age={assets.PLAIN_MAX_AGE}, public"
    assert b"--color-primary" in response.data
    response.close()


def test_the_favicon_is_fetched_once_a_page_and_the_logo_is_inline(client):
    page = client.get("/").get_data(as_text=True)
    assert len(re.findall(r"/static/img/icon\.[0-9a-f]{12}\.svg", page)) == 1
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert "<img" not in header
    assert 'class="brand__logo"' in header


def test_fingerprints_follow_the_content(tmp_path):
    first = tmp_path / "a.css"
    first.write_text("a{}")
    second = tmp_path / "b.css"
    second.write_text("b{}")
    assert assets.digest_of(str(first)) != assets.digest_of(str(second))
    assert assets.fingerprinted("css/app.css", "0123456789ab") == "css/app.0123456789ab.css"
    assert assets.fingerprinted("LICENSE", "0123456789ab") == "LICENSE.0123456789ab"
    assert assets.FINGERPRINTED.search("/static/css/app.0123456789ab.css")
    assert not assets.FINGERPRINTED.search("/static/css/app.css")


def test_compressed_variants_are_written_once_and_only_when_worth_it(tmp_path):
    (tmp_path / "big.css").write_text("body { color: red; }\n" * 200)
    (tmp_path / "tiny.js").write_text("x")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG" + b"\0" * 500)
    assets.compress(str(tmp_path))
    assert (
        gzip.decompress((tmp_path / "big.css.gz").read_bytes())
        == (tmp_path / "big.css").read_bytes()
    )
    assert not (tmp_path / "tiny.js.gz").exists()  # no smaller
    assert not (tmp_path / "photo.png.gz").exists()  # not a text file
    before = (tmp_path / "big.css.gz").stat().st_mtime_ns
    assets.compress(str(tmp_path))
    assert (tmp_path / "big.css.gz").stat().st_mtime_ns == before  # up to date: kept
    assert [name for name, _ in assets.static_files(str(tmp_path))] == [
        "big.css",
        "photo.png",
        "tiny.js",
    ]
