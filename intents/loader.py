"""Load and validate the keyword files (``intents/keywords/*.toml``) into an :class:`IntentSet`.

Every problem names its file and line. Errors (malformed TOML, unknown fields, wrong types,
an empty intent, a keyword claimed by two intents...) raise :class:`IntentFileError`; warnings
(a keyword hidden inside another intent's keyword, a missing intent file) are returned for display.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from datafiles.toml import TomlLines
from intents.examples import load_examples
from intents.match import LABELS
from intents.model import VETO, IntentFileError, IntentSet, IntentSpec, Problem, Settings, Signal
from intents.normalize import Normalizer
from intents.reader import FileReader, kind, read_toml

SETTINGS_FILE = "_settings.toml"
INTENT_FIELDS = {
    "id",
    "name",
    "priority",
    "min_score",
    "examples",
    "counter_examples",
    "keywords",
    "variants",
    "exclusions",
    "signals",
    "core_terms",
}
SIGNAL_FIELDS = {"name", "weight", "cues", "regex", "also", "needs_keyword"}
SETTINGS_FIELDS: dict[str, set[str]] = {
    "thresholds": {"min_score", "confidence", "close_ratio", "saturation", "extra_keywords"},
    "negation": {"words", "window"},
    "tokenizer": {"keyword_freq"},
    "model": {"accept", "ask", "core_other"},
}
EXPECTED_INTENTS = tuple(label for label in LABELS if label != "other")


def default_intents_dir() -> Path:
    """The keyword files shipped with the package (``intents/keywords``)."""
    return Path(__file__).resolve().parent / "keywords"


def _load_settings(directory: Path, problems: list[Problem], normalizer: Normalizer) -> Settings:
    """Read ``_settings.toml`` if present; unknown fields and wrong types are errors."""
    path = directory / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    parsed = read_toml(path, problems)
    if parsed is None:
        return Settings()
    data, lines = parsed
    reader = FileReader(path, lines, problems, normalizer)
    reader.unknown_fields(data, set(SETTINGS_FIELDS), "")
    defaults = Settings()
    thresholds = reader.table(data, "thresholds")
    negation = reader.table(data, "negation")
    tokenizer = reader.table(data, "tokenizer")
    reader.unknown_fields(thresholds, SETTINGS_FIELDS["thresholds"], "thresholds")
    reader.unknown_fields(negation, SETTINGS_FIELDS["negation"], "negation")
    reader.unknown_fields(tokenizer, SETTINGS_FIELDS["tokenizer"], "tokenizer")
    min_score = reader.number(thresholds, "min_score", "thresholds")
    confidence = reader.number(thresholds, "confidence", "thresholds")
    close_ratio = reader.number(thresholds, "close_ratio", "thresholds")
    saturation = reader.number(thresholds, "saturation", "thresholds")
    extra = reader.number(thresholds, "extra_keywords", "thresholds")
    window = reader.integer(negation, "window", "negation")
    freq = reader.integer(tokenizer, "keyword_freq", "tokenizer")
    model = reader.table(data, "model")
    reader.unknown_fields(model, SETTINGS_FIELDS["model"], "model")
    gates = {key: reader.number(model, key, "model") for key in ("accept", "ask", "core_other")}
    for key, value in (("confidence", confidence), ("close_ratio", close_ratio), ("extra_keywords", extra)):
        if value is not None and not 0.0 <= value <= 1.0:
            reader.error(reader.lines.key("thresholds", key), f"{key!r} must be between 0 and 1, got {value}")
    for key, value in gates.items():
        if value is not None and not 0.0 <= value <= 1.0:
            reader.error(reader.lines.key("model", key), f"{key!r} must be between 0 and 1, got {value}")
    return Settings(
        min_score=defaults.min_score if min_score is None else min_score,
        confidence_threshold=defaults.confidence_threshold if confidence is None else confidence,
        close_ratio=defaults.close_ratio if close_ratio is None else close_ratio,
        saturation=defaults.saturation if saturation is None else max(saturation, 1e-6),
        extra_keyword_factor=defaults.extra_keyword_factor if extra is None else extra,
        negators=tuple(normalizer.normalize_term(w) for w in reader.strings(negation, "words", "negation")),
        negation_window=defaults.negation_window if window is None else window,
        keyword_freq=defaults.keyword_freq if freq is None else freq,
        model_accept=defaults.model_accept if gates["accept"] is None else gates["accept"],
        model_ask=defaults.model_ask if gates["ask"] is None else gates["ask"],
        model_core_other=defaults.model_core_other if gates["core_other"] is None else gates["core_other"],
    )


def _weights(reader: FileReader, data: dict[str, Any], table: str) -> dict[str, float]:
    """A ``[keywords]`` table: term = weight (a number)."""
    out: dict[str, float] = {}
    for raw, weight in reader.table(data, table).items():
        line = reader.lines.key(table, raw)
        term = reader.term(raw, line, table)
        if term is None:
            continue
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            reader.error(line, f"weight of {raw!r} in [{table}] must be a number, got {kind(weight)}")
        elif term in out:
            reader.error(line, f"{raw!r} repeats a keyword of [{table}] (after normalization: {term!r})")
        else:
            out[term] = float(weight)
    return out


def _variants(reader: FileReader, data: dict[str, Any], keywords: dict[str, float]) -> dict[str, str]:
    """A ``[variants]`` table: variant = the keyword it stands for."""
    out: dict[str, str] = {}
    for raw, canonical in reader.table(data, "variants").items():
        line = reader.lines.key("variants", raw)
        variant = reader.term(raw, line, "variants")
        if variant is None:
            continue
        if not isinstance(canonical, str):
            reader.error(line, f"variant {raw!r} must name a keyword (a string), got {kind(canonical)}")
            continue
        target = reader.normalizer.normalize_term(canonical.strip())
        if target not in keywords:
            reader.error(line, f"variant {raw!r} stands for {canonical!r}, which is not in [keywords]")
        elif variant in keywords:
            reader.error(line, f"{raw!r} is both a keyword and a variant")
        else:
            out[variant] = target
    return out


def _exclusions(
    reader: FileReader, data: dict[str, Any], keywords: dict[str, float]
) -> dict[str, float | str]:
    """An ``[exclusions]`` table: term = "veto" or a negative number."""
    out: dict[str, float | str] = {}
    for raw, effect in reader.table(data, "exclusions").items():
        line = reader.lines.key("exclusions", raw)
        term = reader.term(raw, line, "exclusions")
        if term is None:
            continue
        if term in keywords:
            reader.error(line, f"{raw!r} is both a keyword and an exclusion")
        elif effect == VETO:
            out[term] = VETO
        elif isinstance(effect, int | float) and not isinstance(effect, bool) and effect < 0:
            out[term] = float(effect)
        else:
            reader.error(line, f'exclusion {raw!r} must be "veto" or a negative number, got {effect!r}')
    return out


def _signals(reader: FileReader, data: dict[str, Any]) -> tuple[Signal, ...]:
    """The ``[[signals]]`` tables (context rules)."""
    raw = data.get("signals", [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        reader.error(reader.lines.key("", "signals"), "'signals' must be written as [[signals]] tables")
        return ()
    out: list[Signal] = []
    for index, item in enumerate(raw):
        line = reader.lines.table("signals", index)
        reader.unknown_fields(item, SIGNAL_FIELDS, "signals", index)
        name = reader.string(item, "name", "signals", index) or f"signal #{index + 1}"
        weight = reader.number(item, "weight", "signals", index)
        normalize = reader.normalizer.normalize_term
        cues = tuple(normalize(c) for c in reader.strings(item, "cues", "signals", index))
        also = tuple(normalize(c) for c in reader.strings(item, "also", "signals", index))
        regex = reader.string(item, "regex", "signals", index) or ""
        needs = item.get("needs_keyword", True)
        if not isinstance(needs, bool):
            reader.error(
                reader.lines.key("signals", "needs_keyword", index), "'needs_keyword' must be true or false"
            )
            needs = True
        if weight is None:
            reader.error(line, f"signal {name!r} has no 'weight'")
            continue
        if not cues and not regex:
            reader.error(line, f"signal {name!r} needs 'cues' or 'regex'")
            continue
        if regex:
            try:
                re.compile(regex)
            except re.error as exc:
                reader.error(
                    reader.lines.key("signals", "regex", index), f"bad regex in signal {name!r}: {exc}"
                )
                continue
        out.append(Signal(name, weight, cues, regex, also, needs, line))
    return tuple(out)


def _load_intent(
    path: Path, problems: list[Problem], normalizer: Normalizer
) -> tuple[IntentSpec, TomlLines] | None:
    """Read one intent file; ``None`` when it is too broken to use."""
    parsed = read_toml(path, problems)
    if parsed is None:
        return None
    data, lines = parsed
    reader = FileReader(path, lines, problems, normalizer)
    before = sum(p.severity == "error" for p in problems)
    reader.unknown_fields(data, INTENT_FIELDS, "")
    intent_id = reader.string(data, "id")
    if intent_id is None:
        reader.error(1, "missing 'id'")
    elif intent_id != path.stem:
        reader.error(reader.lines.key("", "id"), f"id {intent_id!r} must match the file name ({path.stem!r})")
    elif intent_id not in EXPECTED_INTENTS:
        reader.error(
            reader.lines.key("", "id"),
            f"unknown intent id {intent_id!r} (expected one of {EXPECTED_INTENTS})",
        )
    name = reader.string(data, "name")
    if not name:
        reader.error(reader.lines.key("", "name") or 1, "missing 'name' (the Chinese display name)")
    priority = reader.integer(data, "priority")
    min_score = reader.number(data, "min_score")
    keywords = _weights(reader, data, "keywords")
    if not reader.table(data, "keywords"):
        reader.error(
            reader.lines.table("keywords") or 1, f"intent {path.stem!r} is empty: it has no [keywords]"
        )
    spec = IntentSpec(
        id=intent_id or path.stem,
        name=name or "",
        priority=priority or 0,
        keywords=keywords,
        variants=_variants(reader, data, keywords),
        exclusions=_exclusions(reader, data, keywords),
        signals=_signals(reader, data),
        min_score=min_score,
        examples=reader.strings(data, "examples"),
        counter_examples=reader.strings(data, "counter_examples"),
        source=path.name,
        core_terms=tuple(normalizer.normalize_term(t) for t in reader.strings(data, "core_terms")),
    )
    if sum(p.severity == "error" for p in problems) > before:
        return None
    return spec, reader.lines


def _cross_check(loaded: list[tuple[IntentSpec, TomlLines]], problems: list[Problem]) -> None:
    """A term claimed by two intents is an error; one hidden inside another intent's term a warning."""
    claims: dict[str, tuple[IntentSpec, int]] = {}
    for spec, lines in loaded:
        for term in (*spec.keywords, *spec.variants):
            table = "keywords" if term in spec.keywords else "variants"
            line = lines.key(table, term)
            if term in claims:
                other, other_line = claims[term]
                problems.append(
                    Problem(
                        spec.source,
                        line,
                        f"keyword {term!r} is claimed by two intents: {spec.id} and {other.id} "
                        f"({other.source}:{other_line})",
                    )
                )
            else:
                claims[term] = (spec, line)
    for short, (short_spec, short_line) in claims.items():
        for long, (long_spec, long_line) in claims.items():
            if short != long and short in long and short_spec.id != long_spec.id:
                problems.append(
                    Problem(
                        short_spec.source,
                        short_line,
                        f"keyword {short!r} ({short_spec.id}) is hidden inside {long!r} of {long_spec.id} "
                        f"({long_spec.source}:{long_line}): where {long!r} appears, {short!r} will not fire",
                        "warning",
                    )
                )


def collect_problems(directory: Path) -> tuple[IntentSet | None, list[Problem]]:
    """Load what can be loaded and list every problem; the set is ``None`` when there are errors."""
    problems: list[Problem] = []
    if not directory.is_dir():
        return None, [Problem(str(directory), 0, "not a directory")]
    normalizer = Normalizer()
    settings = _load_settings(directory, problems, normalizer)
    loaded: list[tuple[IntentSpec, TomlLines]] = []
    files = sorted(p for p in directory.glob("*.toml") if not p.name.startswith("_"))
    for path in files:
        result = _load_intent(path, problems, normalizer)
        if result is not None:
            loaded.append(result)
    if not files:
        problems.append(Problem(str(directory), 0, "no intent files (*.toml) found"))
    present = {path.stem for path in files}
    for expected in EXPECTED_INTENTS:
        if files and expected not in present:
            problems.append(
                Problem(f"{expected}.toml", 0, f"intent file missing: {expected} will never match", "warning")
            )
    _cross_check(loaded, problems)
    training = load_examples(directory, problems, normalizer)
    # An intent is switched off by removing its keyword file: its examples must not keep it alive.
    orphaned = sorted({label for label, *_ in training if label != "other" and label not in present})
    for label in orphaned:
        problems.append(
            Problem(f"{label}.examples.txt", 0, f"examples ignored: {label}.toml is missing", "warning")
        )
    training = tuple(example for example in training if example[0] not in orphaned)
    if any(p.severity == "error" for p in problems):
        return None, problems
    warnings = tuple(p for p in problems if p.severity == "warning")
    intents = tuple(spec for spec, _ in loaded)
    return IntentSet(intents, settings, warnings, directory, training), problems


def load_intents(directory: Path) -> IntentSet:
    """Load the keyword files in ``directory``; raises :class:`IntentFileError` on any error."""
    intent_set, problems = collect_problems(Path(directory))
    if intent_set is None:
        raise IntentFileError(problems)
    return intent_set
