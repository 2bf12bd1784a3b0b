"""Tests of the intent engine (``intents/``)."""
