"""Tests of the offline screenshot reader (``ocr/``)."""
