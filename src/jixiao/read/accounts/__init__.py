"""Final accounts read from their input formats (YAML, JSON, the Excel form) and written back to them."""
