"""The intent engine: keyword files → jieba-based classifier → :class:`IntentMatch`.

Public API (kept stable for the other layers)::

    intent_set = load_intents(default_intents_dir())      # raises IntentFileError
    classifier = Classifier(intent_set, cache_dir=Path("var/cache"))
    classifier.classify("助力被吞了怎么办")                # -> IntentMatch
    classifier.explain("...").format()                      # -> str
    evaluate(classifier, Path("dev.tsv")).format(show_misses=True)

Nothing is built at import time.
"""

from domain.issues import ISSUE_TYPES
from intents.checks import check_intents
from intents.classifier import Classifier
from intents.evaluate import EvalReport, TsvError, evaluate, read_labelled
from intents.explain import Explanation
from intents.loader import default_intents_dir, load_intents
from intents.match import LABELS, IntentMatch
from intents.model import IntentFileError, IntentSet, IntentSpec, Problem, Settings, Signal
from intents.unknown import unknown_tokens

__all__ = [
    "ISSUE_TYPES",
    "LABELS",
    "Classifier",
    "EvalReport",
    "Explanation",
    "IntentFileError",
    "IntentMatch",
    "IntentSet",
    "IntentSpec",
    "Problem",
    "Settings",
    "Signal",
    "TsvError",
    "check_intents",
    "default_intents_dir",
    "evaluate",
    "load_intents",
    "read_labelled",
    "unknown_tokens",
]
