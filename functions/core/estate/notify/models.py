"""What GET /me/notifications answers (estate.schema): a page of the citizen's own entries."""

from typing import Annotated

import msgspec

from estate.notify.steps import TITLES
from estate.schema import Model, choice


class NotificationAction(Model):
    """What the app offers next with an entry (today: book the certificate pickup at this outlet)."""

    kind: choice({"book": "预约"}, title="操作")  # type: ignore[valid-type]
    label: str
    business: str
    outlet: str | None = None


class NotificationEntry(Model):
    id: str
    step: choice(TITLES, title="环节")  # type: ignore[valid-type]
    title: str
    text: str
    application_id: str | None = None
    action: NotificationAction | None = None
    created_at: str
    created_at_label: Annotated[str, msgspec.Meta(description="北京时间，如 2026年12月3日 14:05")]


class NotificationsView(Model):
    """Newest first; `next_cursor` fetches the next page (absent on the last page)."""

    notifications: list[NotificationEntry]
    next_cursor: str | None = None
