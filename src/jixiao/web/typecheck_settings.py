"""The settings mypy's Django plugin loads to learn the models: the product's settings, with
a throw-away data folder and key, so that type checking writes nothing into the work tree."""

from __future__ import annotations

import os
import tempfile

os.environ["JIXIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="jixiao-typecheck-")
os.environ.setdefault("JIXIAO_SECRET_KEY", "typecheck-only-" + "x" * 50)
os.environ.pop("JIXIAO_DATABASE_URL", None)

from jixiao.web.settings import *  # noqa: F403
