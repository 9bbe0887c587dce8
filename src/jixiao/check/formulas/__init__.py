"""The 审核公式 engine: rules as data, a safe expression language, compiled once per rule set."""
