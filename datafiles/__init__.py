"""Operator-edited data files (keyword files, step texts): read TOML and name the line of a problem."""
