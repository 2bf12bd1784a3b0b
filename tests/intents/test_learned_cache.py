"""The learned stage keeps its trained weights in the cache, keyed by everything they depend on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from intents.learned import LearnedModel

ROOT = Path(__file__).resolve().parents[2]

EXAMPLES = [
    ("zhuli_swallowed", "好友帮我助力了但是没算上"),
    ("zhuli_swallowed", "助力被吞了"),
    ("bargain_failed", "砍到最后一刀砍不动了"),
    ("bargain_failed", "砍价一直差一点"),
    ("other", "今天天气怎么样"),
    ("other", "你好"),
]


def tokenize(text: str) -> list[str]:
    """A stand-in tokenizer: one token per character."""
    return list(text)


def test_a_second_start_loads_the_same_weights_from_the_cache(tmp_path: Path) -> None:
    """Same examples, same fingerprint: one file in the cache and identical predictions."""
    first = LearnedModel(EXAMPLES, tokenize, cache_dir=tmp_path, tokenizer_fingerprint="t1")
    files = sorted(tmp_path.glob("learned-*.npz"))
    assert len(files) == 1
    second = LearnedModel(EXAMPLES, tokenize, cache_dir=tmp_path, tokenizer_fingerprint="t1")
    assert sorted(tmp_path.glob("learned-*.npz")) == files
    for text in ("助力没算", "砍不动", "天气"):
        assert second.predict(text) == first.predict(text)
    assert first.predict("助力没算上").label == "zhuli_swallowed"


def test_a_changed_example_or_tokenizer_trains_again(tmp_path: Path) -> None:
    """An edited example file or a new tokenizer dictionary never reuses stale weights."""
    LearnedModel(EXAMPLES, tokenize, cache_dir=tmp_path, tokenizer_fingerprint="t1")
    LearnedModel([*EXAMPLES, ("other", "随便聊聊")], tokenize, cache_dir=tmp_path, tokenizer_fingerprint="t1")
    LearnedModel(EXAMPLES, tokenize, cache_dir=tmp_path, tokenizer_fingerprint="t2")
    assert len(list(tmp_path.glob("learned-*.npz"))) == 3


def test_a_damaged_cache_file_is_trained_over(tmp_path: Path) -> None:
    """A truncated weights file costs a training, never a crash or a wrong model."""
    reference = LearnedModel(EXAMPLES, tokenize, cache_dir=tmp_path, tokenizer_fingerprint="t1")
    (path,) = tmp_path.glob("learned-*.npz")
    path.write_bytes(path.read_bytes()[:100])
    again = LearnedModel(EXAMPLES, tokenize, cache_dir=tmp_path, tokenizer_fingerprint="t1")
    assert again.ready
    assert again.predict("助力被吞") == reference.predict("助力被吞")


def test_a_read_only_cache_still_gives_a_model(tmp_path: Path) -> None:
    """Where the cache cannot be written the model is trained and used all the same."""
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    model = LearnedModel(EXAMPLES, tokenize, cache_dir=blocked / "cache", tokenizer_fingerprint="t1")
    assert model.ready and model.predict("砍不动了").label == "bargain_failed"


def test_a_warm_start_does_not_import_scikit_learn(tmp_path: Path) -> None:
    """With the weights cached, a starting bot never loads scikit-learn or SciPy (~1–2 s, ~110 MB)."""
    program = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from intents import Classifier, default_intents_dir, load_intents
c = Classifier(load_intents(default_intents_dir()), Path({str(tmp_path)!r}))
assert c.model.ready
c.classify("组力被吞了")
print(sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy")))
"""
    cold = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert "sklearn" in cold.stdout  # the first start trains
    warm = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert warm.stdout.strip() == "[]"
