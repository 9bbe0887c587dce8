"""The authentication backend: Django's ModelBackend, except that the user of a request is
loaded with its membership and organisation in one query (every page needs all three)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

#: the dotted path, for settings and for tests that sign a user in directly
PATH = "jixiao.web.auth.MemberBackend"


class MemberBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        User = get_user_model()
        try:
            user = User._default_manager.select_related("member__organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
