from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavedViewsConfig(AppConfig):
    name = "luoshi.savedviews"
    verbose_name = _("保存的筛选条件")
