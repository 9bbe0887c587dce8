"""Final accounts (部门决算): the nine public tables, their rules and the 情况说明.

Public callers use :mod:`jixiao.api`; see ``docs.md`` in this folder for the layout.
"""
