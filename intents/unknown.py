"""Which tokens of an unmatched message are worth counting (never the raw text)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Function words, pronouns, fillers and politeness that say nothing about what people need.
_STOPWORD_TEXT = """
    的 了 吗 呢 吧 啊 呀 哦 嗯 哈 嘛 么 啦 喔 哇 诶 欸 额 呃 就 都 也 还 又 再 才 很 太 真 挺 最 更 好
    我 你 他 她 它 我们 你们 他们 她们 咱们 自己 人家 大家 这 那 这个 那个 这些 那些 这样 那样 这么 那么
    什么 怎么 怎么样 为什么 为啥 哪 哪里 哪个 谁 多少 几 是 不 没 没有 有 在 和 跟 与 或 或者 及 把 被 给
    让 从 到 对 向 往 于 以 为 因为 所以 但是 但 可是 而且 然后 如果 就是 还是 一下 一个 一些 一点 可以
    能 会 要 想 得 地 着 过 之 个 请问 请 帮 帮我 问 一下子 现在 今天 明天 昨天 已经 正在 知道 觉得 说
    the a an to of and or is are be it i you me my we what how why do does can
    """
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_NOISE = re.compile(r"^[\W_\d]+$|^[a-z]$|^\d+[a-z%]*$", re.IGNORECASE)


#: Last characters of place names (北京市, 朝阳区, 中山路, 3号楼): never stored, they can be an address.
_ADDRESS_ENDINGS = frozenset("省市区县旗路街道巷弄里号栋幢楼室村镇乡屯庄")


def _is_cjk_word(token: str) -> bool:
    """Two or more CJK characters and nothing else."""
    return len(token) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in token)


def unknown_tokens(tokens: Iterable[str], is_word: Callable[[str], bool] | None = None) -> list[str]:
    """Tokens worth counting for an unmatched message: only everyday words, nothing personal.

    A kept token is two or more CJK characters, not a stopword, with no digit, not ending like
    a place name, and (when ``is_word`` is given) a word of the classifier's dictionary — so a
    name (王小明 is no dictionary word), a street, an order or phone number, a nickname or a
    link never reaches the statistics. Order is kept and duplicates are dropped.
    """
    seen: set[str] = set()
    kept: list[str] = []
    for raw in tokens:
        token = raw.strip().lower()
        if not token or token in seen or token in _STOPWORDS or _NOISE.match(token):
            continue
        if not _is_cjk_word(token) or len(token) > 8 or token[-1] in _ADDRESS_ENDINGS:
            continue
        if is_word is not None and not is_word(token):
            continue
        seen.add(token)
        kept.append(token)
    return kept
