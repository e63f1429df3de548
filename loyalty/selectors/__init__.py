"""Reads of the loyalty programme (see the modules for each subject)."""
