"""A person's saved filter on a list: a name, the list it belongs to and the list's query string."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_LIMIT = 40
QUERY_LIMIT = 1000


class SavedView(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    list_key = models.CharField(_("清单"), max_length=40)
    name = models.CharField(_("名称"), max_length=NAME_LIMIT)
    query = models.CharField(_("筛选条件"), max_length=QUERY_LIMIT, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("保存的筛选条件")
        verbose_name_plural = _("保存的筛选条件")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_key", "name"], name="saved_view_name_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_key}: {self.name}"
