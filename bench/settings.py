"""The portal's own settings, plus the benchmark's URL configuration (its baseline view)."""

from vetsync_support.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
