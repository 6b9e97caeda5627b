"""What every data screen shares: the gateway, and service errors shown as notifications."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from cli.tui.app import ChefMentorApp
    from cli.tui.gateway import Gateway

R = TypeVar("R")


class ServiceMixin:
    """Screens call the service layer only through `self.gateway`, inside `with self.guard(...)`."""

    @property
    def chef_app(self) -> ChefMentorApp:
        return cast("ChefMentorApp", cast(Any, self).app)

    @property
    def gateway(self) -> Gateway:
        return self.chef_app.gateway

    def now(self) -> datetime:
        return self.gateway.ctx.clock.now()

    @contextmanager
    def guard(self, doing: str | None = None) -> Iterator[None]:
        with self.chef_app.service_errors(doing):
            yield


class ServiceScreen(ServiceMixin, Screen[None]):
    pass


class ServiceModal(ServiceMixin, ModalScreen[R]):
    pass
