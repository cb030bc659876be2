"""Benchmark: what a phone downloads for the first page and for today's suggestions
(a script, not a test).

    python -m benchmarks.page_weight [--base URL] [--phone N] [--json]

Without ``--base`` it builds the demo in a temporary folder (``flask db upgrade``,
``flask demo seed``, the embedded default) and serves it with ``flask run`` on a free
port; with ``--base`` it measures a server already running with the demo data.

Chromium (Debian's, headless, 360 x 740) loads each page with the cache disabled
(DevTools ``Network.setCacheDisabled``) and every resource is counted as it arrives:
``transferred`` is what came over the wire (``encodedDataLength``: headers and the body
as sent, gzipped where the server compresses), ``body`` the decoded bodies. Member
photos (``/profile/photos/…``) are counted apart (``photos``): the target is "before
photos". Pages: the anonymous home ``/`` (target ≤ 150 KB) and, signed in as the demo
member (13800000011), ``/today/`` (target ≤ 200 KB before photos).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "Queqiao-demo-2026"  # noqa: S105 - the demo's published password
TARGETS_KB = {"/": 150, "/today/": 200}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server():
    """The demo on the embedded default, in a temporary folder, on a free port."""
    with tempfile.TemporaryDirectory(prefix="queqiao-weight-") as folder:
        env = {
            **os.environ,
            "QUEQIAO_ENV": "development",
            "DATABASE_URL": f"sqlite:///{folder}/q.db",
            "PHOTO_DIR": f"{folder}/photos",
            "FLASK_APP": "wsgi",
        }
        flask = [sys.executable, "-m", "flask"]
        for command in (["db", "upgrade"], ["demo", "seed"]):
            subprocess.run(  # noqa: S603 - our own interpreter and arguments
                [*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [*flask, "run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz/live", timeout=1).close()  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def measure(page, base: str, path: str) -> dict:
    """Load ``path`` with the cache off; the bytes of every response it needed."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    body: dict[str, int] = {}
    wire: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])
    )
    cdp.on(
        "Network.dataReceived",
        lambda e: body.__setitem__(e["requestId"], body.get(e["requestId"], 0) + e["dataLength"]),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: wire.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    cdp.detach()
    rows = []
    for request_id, url in urls.items():
        rows.append(
            {
                "url": url.removeprefix(base),
                "transferred": wire.get(request_id, 0),
                "body": body.get(request_id, 0),
                "photo": "/profile/photos/" in url,
            }
        )
    kept = [r for r in rows if not r["photo"]]
    return {
        "path": path,
        "requests": len(kept),
        "transferred_kb": round(sum(r["transferred"] for r in kept) / 1024, 1),
        "body_kb": round(sum(r["body"] for r in kept) / 1024, 1),
        "photos": sum(1 for r in rows if r["photo"]),
        "photos_kb": round(sum(r["transferred"] for r in rows if r["photo"]) / 1024, 1),
        "target_kb": TARGETS_KB.get(path),
        "resources": sorted(rows, key=lambda r: -r["transferred"]),
    }


def run(base: str, phone: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
        page = context.new_page()
        results = [measure(page, base, "/")]
        page.goto(base + "/account/signin")
        page.fill("#phone", phone)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        results.append(measure(page, base, "/today/"))
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="a running server with the demo data")
    parser.add_argument("--phone", default="13800000011", help="the demo member to sign in")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.base:
        results = run(args.base.rstrip("/"), args.phone)
    else:
        with demo_server() as base:
            results = run(base, args.phone)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for r in results:
            verdict = ""
            if r["target_kb"]:
                verdict = "ok" if r["transferred_kb"] <= r["target_kb"] else "OVER"
                verdict = f"  (target ≤ {r['target_kb']} KB: {verdict})"
            print(
                f"{r['path']}: {r['transferred_kb']} KB transferred, {r['body_kb']} KB decoded, "
                f"{r['requests']} requests{verdict}; photos apart: {r['photos']}, "
                f"{r['photos_kb']} KB"
            )
            for row in r["resources"]:
                if not row["photo"]:
                    print(f"    {row['transferred']:>8} B  {row['body']:>8} B  {row['url']}")
    over = [r for r in results if r["target_kb"] and r["transferred_kb"] > r["target_kb"]]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
