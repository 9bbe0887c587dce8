"""The running text of a report read as statements: who, which role, which amount.

``parse`` reads a sentence into clauses and figures with roles, ``unit`` the document's
unit of amounts, ``bind`` what each claim's figures refer to and whether that is certain.
"""
