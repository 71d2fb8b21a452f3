"""Hypothesis profiles for the property tests.

``ci`` (chosen when ``CI`` is set, as in .ci/run) draws the same examples on every run, so that
a CI failure is reproduced by running the same command; ``dev`` draws new ones each time.
Neither keeps a database of examples, and what Hypothesis caches for itself goes to var/
(ignored by git), not to a .hypothesis/ folder in the work tree.
``HYPOTHESIS_PROFILE=dev|ci`` chooses one explicitly.
"""

import os
from pathlib import Path

from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(__file__).resolve().parents[2] / "var" / "hypothesis")

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", database=None, print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
