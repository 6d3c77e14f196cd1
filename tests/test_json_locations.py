"""A topology fact's location (JsonRef) keeps an offset and works out its line, column and
pointer when read: the same values, equality, hash and pickle as a plain SourceRef."""

from __future__ import annotations

import pickle

from csmlint.loaders.topology.fields import Node
from csmlint.loaders.topology.locations import JsonRef, json_locator
from csmlint.model.location import SourceRef
from csmlint.parsing.jsonsafe import loads_text

TEXT = '{\n  "subscriptions": [\n    {"id": "s1",\n     "a/b~c": {"x": 1}}\n  ]\n}\n'


def test_member_locations_are_lazy_but_exact() -> None:
    doc = loads_text(TEXT)
    locate = json_locator(doc, "estate.json")
    sub = Node(doc.value["subscriptions"][0], "/subscriptions/0", locate)
    ref = sub.ref("a/b~c")
    assert isinstance(ref, JsonRef)
    plain = SourceRef("estate.json", 4, 15, "/subscriptions/0/a~1b~0c")
    assert (ref.line, ref.column, ref.pointer) == (4, 15, "/subscriptions/0/a~1b~0c")
    assert ref == plain and hash(ref) == hash(plain)
    back = pickle.loads(pickle.dumps(ref))
    assert type(back) is not JsonRef and back == plain
    assert sub.ref("id") == SourceRef("estate.json", 3, 12, "/subscriptions/0/id")
    assert sub.ref() == SourceRef("estate.json", 3, 5, "/subscriptions/0")
    assert ref.display() == "estate.json:4:15"


def test_a_member_that_is_not_there_falls_back_to_its_pointer() -> None:
    doc = loads_text(TEXT)
    locate = json_locator(doc, "estate.json")
    sub = Node(doc.value["subscriptions"][0], "/subscriptions/0", locate)
    missing = sub.ref("name")  # not in the object: the object's own position, its pointer
    assert (missing.line, missing.column) == (3, 5)
    assert missing.pointer == "/subscriptions/0/name"
