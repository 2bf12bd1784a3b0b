"""The fake server's own tests share its fixtures."""

from tests.fake_telegram.fixtures import (  # noqa: F401  (fixtures)
    bot,
    fake_telegram,
    telegram_bot,
    tg,
    timedelta_durations,
)
