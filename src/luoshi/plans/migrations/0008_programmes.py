"""Plans become versions of a programme; the office chooses the version in force and the public one.
Each plan already stored becomes its own programme, in force and public as it was shown before."""

import django.db.models.deletion
from django.db import migrations, models


def programmes_for_existing_plans(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Programme = apps.get_model("plans", "Programme")
    for plan in Plan.objects.order_by("imported_at", "pk"):
        programme = Programme.objects.create(name=plan.title, in_force=plan, public=plan)
        plan.programme = programme
        plan.effective_from = (plan.published_at or plan.imported_at).date()
        plan.save(update_fields=["programme", "effective_from"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_plan_particulars"),
    ]

    operations = [
        migrations.AlterField(
            model_name="plan",
            name="status",
            field=models.CharField(
                choices=[("draft", "征求意见稿"), ("final", "正式稿"), ("repealed", "已废止")],
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.CreateModel(
            name="Programme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300, verbose_name="名称")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "in_force",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="plans.plan",
                    ),
                ),
                (
                    "public",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="plans.plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "方案系列",
                "verbose_name_plural": "方案系列",
                "ordering": ["pk"],
            },
        ),
        migrations.AddField(
            model_name="plan",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="versions",
                to="plans.programme",
                verbose_name="方案系列",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="revises",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="revisions",
                to="plans.plan",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="effective_from",
            field=models.DateField(blank=True, null=True, verbose_name="生效日期"),
        ),
        migrations.RunPython(programmes_for_existing_plans, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="versions",
                to="plans.programme",
                verbose_name="方案系列",
            ),
        ),
    ]
