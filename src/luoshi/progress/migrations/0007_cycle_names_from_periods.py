"""A cycle's name follows the reader's language: the column keeps only a name an office typed.
Names the system wrote by default ("2022年06月", from the cycle's first day) are cleared, so those
cycles are named from their period (in Chinese the same text for a month)."""

from django.db import migrations, models


def clear_default_names(apps, schema_editor):
    Cycle = apps.get_model("progress", "ReportingCycle")
    for cycle in Cycle.objects.exclude(typed_name="").only("typed_name", "starts_on"):
        if cycle.typed_name == f"{cycle.starts_on:%Y年%m月}":
            Cycle.objects.filter(pk=cycle.pk).update(typed_name="")


def restore_default_names(apps, schema_editor):
    Cycle = apps.get_model("progress", "ReportingCycle")
    for cycle in Cycle.objects.filter(typed_name="").only("starts_on"):
        Cycle.objects.filter(pk=cycle.pk).update(typed_name=f"{cycle.starts_on:%Y年%m月}")


class Migration(migrations.Migration):
    dependencies = [("progress", "0006_report_state_indexes")]

    operations = [
        # The same column ("name"), under a new attribute: `name` is now the displayed name.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("reportingcycle", "name", "typed_name"),
                migrations.AlterField(
                    "reportingcycle",
                    "typed_name",
                    models.CharField(
                        blank=True, db_column="name", max_length=60, verbose_name="名称"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(clear_default_names, restore_default_names),
    ]
