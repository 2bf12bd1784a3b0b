"""Speed of the intent engine: per-message latency, throughput, cold start and memory.

Run: ``.venv/bin/python bench/bench_intents.py [--messages 5000]``. It prints the figures and
the goals (issue 14, with the learned stage: p99 ≤ 2 ms, cold start ≤ 1.5 s, RSS ≤ 200 MB). Not a test.

The messages are built from the keyword files' own examples. Wall time grows when the machine
is shared; each message's thread CPU time does not, and is printed beside it. Run it a few
times and take the median.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intents import Classifier, default_intents_dir, load_intents, read_labelled  # noqa: E402

DEV_TSV = ROOT.parent / "shared" / "corpus" / "dev.tsv"

# Process start → classifier ready, measured inside a fresh interpreter.
_COLD = """
import time, resource, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from intents import Classifier, default_intents_dir, load_intents
c = Classifier(load_intents(default_intents_dir()), Path({cache!r}))
c.classify("助力被吞了")
print(time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def messages(count: int, seed: int = 7) -> list[str]:
    """Messages of 20-200 characters built from the keyword files' own examples."""
    intent_set = load_intents(default_intents_dir())
    pool = [t for spec in intent_set.intents for t in (*spec.examples, *spec.counter_examples)]
    filler = ["，昨天晚上", "，订单号 240101-778812349900123", "，真的很无语😤", "，客服一直说等等", "！！！"]
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        target = rng.randint(20, 200)
        text = rng.choice(pool)
        while len(text) < target:
            text += rng.choice(filler + pool)
        out.append(text[:target])
    return out


def cold_start(cache: Path) -> tuple[float, float]:
    """Seconds from process start to a ready classifier, and peak RSS in MB, in a fresh process."""
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", _COLD.format(root=str(ROOT), cache=str(cache))],
        capture_output=True,
        text=True,
        check=True,
    )
    ready, rss_kb = result.stdout.split()
    return float(ready) - started, int(rss_kb) / 1024


def percentiles(classifier: Classifier, texts: list[str], rounds: int = 5) -> tuple[float, float]:
    """p50 and p99 in µs of classifying ``texts`` (each ``rounds`` times)."""
    timings: list[float] = []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter_ns()
            classifier.classify(text)
            timings.append((time.perf_counter_ns() - t0) / 1000)
    timings.sort()
    return timings[len(timings) // 2], timings[int(len(timings) * 0.99)]


def stage_costs(classifier: Classifier, texts: list[str]) -> dict[str, float]:
    """Mean µs per message of each step of ``classify`` (the model only runs when no keyword decides)."""
    scorer = classifier._scorer
    normalized = [classifier.normalize(t) for t in texts]
    tokens = [classifier.tokenize(n) for n in normalized]
    costs: dict[str, float] = {}
    for name, work in (
        ("normalize", lambda: [classifier.normalize(t) for t in texts]),
        ("jieba cut", lambda: [classifier.tokenize(n) for n in normalized]),
        ("keyword scores", lambda: [scorer.score(n, t) for n, t in zip(normalized, tokens, strict=True)]),
        (
            "model (every message)",
            lambda: [classifier.predict(n, t) for n, t in zip(normalized, tokens, strict=True)],
        ),
    ):
        started = time.perf_counter()
        work()
        costs[name] = (time.perf_counter() - started) / len(texts) * 1e6
    return costs


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--tsv", type=Path, default=DEV_TSV, help="real messages for a second measure")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        first, _ = cold_start(cache)  # writes the trimmed dictionary and jieba's cache
        warm = [cold_start(cache) for _ in range(3)]
    cold = statistics.median(w[0] for w in warm)
    rss = max(w[1] for w in warm)

    with tempfile.TemporaryDirectory() as tmp:
        classifier = Classifier(load_intents(default_intents_dir()), Path(tmp))
        texts = messages(args.messages)
        for text in texts[:200]:
            classifier.classify(text)  # warm up
        timings: list[float] = []
        cpu: list[float] = []  # this thread's CPU time: what the message cost, whatever the neighbours do
        started = time.perf_counter()
        for text in texts:
            t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            classifier.classify(text)
            cpu.append((time.thread_time_ns() - c0) / 1000)
            timings.append((time.perf_counter_ns() - t0) / 1000)
        elapsed = time.perf_counter() - started
        cpu.sort()
        stages = stage_costs(classifier, texts)
        other = sum(classifier.classify(t).intent == "other" for t in texts) / len(texts)
        real = (
            percentiles(classifier, [t for _, t in read_labelled(args.tsv)]) if args.tsv.is_file() else None
        )
    buckets = {}
    for low, high in ((20, 50), (51, 100), (101, 150), (151, 200)):
        chosen = sorted(t for t, text in zip(timings, texts, strict=True) if low <= len(text) <= high)
        buckets[f"{low}-{high}"] = chosen[len(chosen) // 2] if chosen else 0.0
    timings.sort()
    p50 = timings[len(timings) // 2]
    p99 = timings[int(len(timings) * 0.99)]
    mean_len = statistics.mean(len(t) for t in texts)
    own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"messages:        {len(texts)} of 20-200 chars (mean {mean_len:.0f})")
    print(f"p50 per message: {p50:8.1f} µs   (no goal since issue 14)")
    print(f"p99 per message: {p99:8.1f} µs   (goal ≤ 2000; wall time, grows when the machine is shared)")
    print(
        f"CPU per message: p50 {cpu[len(cpu) // 2]:.1f} µs, p99 {cpu[int(len(cpu) * 0.99)]:.1f} µs (thread CPU time)"
    )
    print("p50 by length:   " + ", ".join(f"{k} chars {v:.0f} µs" for k, v in buckets.items()))
    print("mean per stage:  " + ", ".join(f"{k} {v:.0f} µs" for k, v in stages.items()))
    print(f"model consulted: {other:.0%} of the messages end as `other`")
    print(f"throughput:      {len(texts) / elapsed:8.0f} messages/s on one core")
    if real is not None:
        print(
            f"real messages:   p50 {real[0]:.1f} µs, p99 {real[1]:.1f} µs over {args.tsv.name} (as written)"
        )
    print(
        f"cold start:      {cold:8.3f} s    (goal ≤ 1.5; first run ever, building caches and training the model: {first:.3f} s)"
    )
    print(f"peak RSS:        {rss:8.1f} MB   (goal ≤ 200; fresh process with a ready classifier)")
    print(f"bench RSS:       {own_rss:8.1f} MB   (this process, after {len(texts)} messages)")


if __name__ == "__main__":
    main()
