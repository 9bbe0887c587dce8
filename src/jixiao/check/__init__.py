"""Checks: every rule and audit check that turns a model into Findings (see ``docs.md``)."""
