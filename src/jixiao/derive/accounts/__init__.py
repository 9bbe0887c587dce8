"""What final accounts imply: totals built from detail, and the 情况说明 computed from the tables."""
