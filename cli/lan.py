"""Find this machine's LAN addresses from its interfaces (no packets sent)."""

from __future__ import annotations

import ipaddress
import socket
import struct
import sys


def _interface_ipv4(name: str) -> str | None:
    if not sys.platform.startswith("linux"):
        return None
    import fcntl

    siocgifaddr = 0x8915
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            packed = fcntl.ioctl(sock.fileno(), siocgifaddr, struct.pack("256s", name[:15].encode()))
        except OSError:
            return None
    return socket.inet_ntoa(packed[20:24])


def lan_addresses() -> list[str]:
    """Private IPv4 addresses of up interfaces, best first; loopback when there is none."""
    found: list[str] = []
    names = [name for _, name in socket.if_nameindex()] if hasattr(socket, "if_nameindex") else []
    for name in names:
        address = _interface_ipv4(name)
        if address and not ipaddress.ip_address(address).is_loopback and address not in found:
            found.append(address)
    if not found:
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                address = str(info[4][0])
                if not ipaddress.ip_address(address).is_loopback and address not in found:
                    found.append(address)
        except OSError:
            pass
    found.sort(key=lambda a: (not ipaddress.ip_address(a).is_private, a))
    return found or ["127.0.0.1"]


def server_urls(host: str, port: int) -> list[str]:
    if host in ("0.0.0.0", "::", ""):
        return [f"http://{address}:{port}" for address in lan_addresses()]
    return [f"http://{host}:{port}"]
