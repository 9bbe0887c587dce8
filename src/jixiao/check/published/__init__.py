"""A published report audited: the registry of named checks run on what was read."""
