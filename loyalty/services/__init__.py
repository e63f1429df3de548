"""Writes of the loyalty programme, one module per subject."""
