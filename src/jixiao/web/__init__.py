"""The jixiao web application (Django): departments fill in, explain and submit their
self-evaluations and final accounts; finance bureaus review, return, approve and publish.

Views call :mod:`jixiao.api` only; this package owns users, organisations, states,
history, comments and jobs."""
