from __future__ import annotations

import ipaddress

from cli.lan import lan_addresses, server_urls


def test_lan_addresses_are_real_ipv4_of_this_machine() -> None:
    addresses = lan_addresses()
    assert addresses
    for address in addresses:
        ipaddress.IPv4Address(address)


def test_wildcard_host_expands_to_lan_urls_and_explicit_host_is_kept() -> None:
    assert server_urls("127.0.0.1", 8123) == ["http://127.0.0.1:8123"]
    urls = server_urls("0.0.0.0", 8000)
    assert urls and all(url.startswith("http://") and url.endswith(":8000") for url in urls)
    assert "0.0.0.0" not in urls[0]
