"""Hypothesis profiles for the dashboard's reference check (test_reference.py).

``ci`` (the default): 40 examples, derandomized — every run checks the same histories, so
the suite stays fast and a failure reproduces. ``thorough`` (HYPOTHESIS_PROFILE=thorough):
1,000 random histories, for a change to the metrics or the definitions.
"""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=40, derandomize=True, deadline=None, database=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
