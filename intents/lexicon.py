"""The owned jieba tokenizer: a trimmed base dictionary plus the keyword terms as boosted words.

Measured (see ``bench/bench_intents.py``): jieba's full 349k-word dictionary costs ~0.5 s to
load even from its cache and ~30 MB of memory; the words that occur at least
:data:`BASE_MIN_FREQ` times (~52k) load in ~0.15 s and segment everyday text almost the same.
Classification only needs our own terms to come out as units, which :meth:`add_word` with a high
frequency guarantees, so the trimmed dictionary is the default.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Words of jieba's dictionary with at least this frequency make the base dictionary.
BASE_MIN_FREQ = 50


def default_cache_dir() -> Path:
    """A per-user folder under the system temp dir, used when no ``cache_dir`` is given."""
    return Path(tempfile.gettempdir()) / f"weiquan-intents-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _base_dictionary(jieba_module: Any, cache_dir: Path) -> Path:
    """Write (once) the trimmed copy of jieba's dictionary into ``cache_dir`` and return its path."""
    version = getattr(jieba_module, "__version__", "0")
    target = cache_dir / f"jieba-base-{version}-{BASE_MIN_FREQ}.txt"
    if target.is_file():
        return target
    source = Path(jieba_module.__file__).parent / "dict.txt"
    kept: list[str] = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) >= BASE_MIN_FREQ:
                kept.append(line if line.endswith("\n") else line + "\n")
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text("".join(kept), encoding="utf-8")
    os.replace(partial, target)
    return target


EVERYDAY_WORDS = Path(__file__).resolve().parent / "everyday_words.txt"


def everyday_words() -> list[str]:
    """Everyday complaint words (``everyday_words.txt``) that segmentation must keep whole."""
    words: list[str] = []
    for line in EVERYDAY_WORDS.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("#"):
            words.extend(line.split())
    return words


def tokenizer_fingerprint(terms: Iterable[str], keyword_freq: int) -> str:
    """A digest of everything :func:`build_tokenizer` depends on (for caches of what it cuts)."""
    import hashlib
    from importlib import metadata

    h = hashlib.sha256()
    h.update(f"{metadata.version('jieba')}\x00{BASE_MIN_FREQ}\x00{keyword_freq}\x00".encode())
    h.update("\x1e".join(sorted(terms)).encode())
    h.update(EVERYDAY_WORDS.read_bytes())
    return h.hexdigest()


def build_tokenizer(terms: Iterable[str], cache_dir: Path | None, keyword_freq: int) -> Any:
    """A fresh ``jieba.Tokenizer`` over the base dictionary with ``terms`` added as single words."""
    import jieba  # a deferred import: jieba's own import costs ~90 ms

    logging.getLogger("jieba").setLevel(logging.WARNING)
    folder = cache_dir or default_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    dictionary = _base_dictionary(jieba, folder)
    tokenizer = jieba.Tokenizer(str(dictionary))
    tokenizer.tmp_dir = str(folder)
    tokenizer.cache_file = dictionary.with_suffix(".cache").name
    tokenizer.initialize()
    for term in terms:
        tokenizer.add_word(term, freq=keyword_freq)
    for word in everyday_words():
        if list(tokenizer.cut(word, HMM=False)) != [word]:
            # Just above the frequency jieba says would keep it whole (suggest_freq's own tuning
            # rounds down and leaves compounds such as 退货退款 split). After the keywords, so
            # a keyword pair such as 退货+退款 cannot outweigh the word they form.
            tokenizer.add_word(word, freq=tokenizer.suggest_freq(word, tune=False) + 1)
    return tokenizer
