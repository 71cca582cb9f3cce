import os

import pytest
from hypothesis import settings

from lablink_diagrams.model import Diagram, Node, Step

# Fuzzing depth for every hypothesis test that does not pin its own count:
#   make test                                  -> "default": 300 generated labels per property
#   LABLINK_FUZZ=full python3 -m pytest tests/test_escaping.py -q
#                                              -> "full": 10,000 per property, i.e. per backend
settings.register_profile("default", max_examples=300, deadline=None)
settings.register_profile("full", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("LABLINK_FUZZ", "default"))


@pytest.fixture
def tiny():
    """A two-node diagram to hang hostile text on."""
    def make(text: str = "x", **kw) -> Diagram:
        return Diagram(name="tiny", title=kw.get("title", "t"), views=("architecture", "sequence"),
                       nodes=(Node("a", text), Node("b", "B")), steps=(Step(1, "a", "b", text),))
    return make
