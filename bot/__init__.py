"""Telegram glue and the composition root: settings, CLI, handlers, polling, webhook, terminal chat."""
