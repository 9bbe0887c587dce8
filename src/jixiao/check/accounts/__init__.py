"""Final accounts checked: data findings, the 审核公式 and a department's own 情况说明."""
