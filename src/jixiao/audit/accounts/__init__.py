"""Final-accounts tables (公开01表–公开09表) in a published document: found, read into
the :mod:`jixiao.accounts` model and checked. See :func:`check_accounts_tables`."""

from jixiao.audit.accounts.check import AccountsRead, check_accounts_tables

__all__ = ["AccountsRead", "check_accounts_tables"]
