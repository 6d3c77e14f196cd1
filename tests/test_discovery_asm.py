"""Discovery of Service Management responses saved without their namespace."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmlint.discovery import classify

CASES = [
    # (content, kind): a response without its xmlns is recognised by a child only it has
    ("<HostedService><ServiceName>cs3</ServiceName></HostedService>", "asm"),
    ("<Gateway><GatewayType>DynamicRouting</GatewayType></Gateway>", "asm"),
    ("<RouteTable><Name>rt</Name><RouteList/></RouteTable>", "asm"),
    (
        '<Deployment xmlns="http://schemas.microsoft.com/windowsazure"><Name>d</Name></Deployment>',
        "asm",
    ),
    # an unrelated file with a common root name is not taken for one
    ("<Deployment><Target>staging</Target><Steps/></Deployment>", None),
    ("<Gateway><Host>api.contoso.com</Host></Gateway>", None),
    ("<RouteTable><Route path='/'/></RouteTable>", None),
]


@pytest.mark.parametrize(("content", "kind"), CASES)
def test_namespace_less_responses_are_recognised_by_a_telling_child(
    tmp_path: Path, content: str, kind: str | None
) -> None:
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + content, encoding="utf-8")
    found = classify(str(path), "export.xml", 1 << 20)
    assert (found.kind if found else None) == kind
