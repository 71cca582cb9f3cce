import pytest

from lablink_diagrams.model import Diagram, Node, Step


@pytest.fixture
def tiny():
    """A two-node diagram to hang hostile text on."""
    def make(text: str = "x", **kw) -> Diagram:
        return Diagram(name="tiny", title=kw.get("title", "t"), views=("architecture", "sequence"),
                       nodes=(Node("a", text), Node("b", "B")), steps=(Step(1, "a", "b", text),))
    return make
