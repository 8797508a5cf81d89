"""Every migration of this app up to 0002_measure_links in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('versions', '0001_initial'), ('versions', '0002_measure_links')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PlanLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('linked_at', models.DateTimeField(auto_now_add=True, verbose_name='关联时间')),
                ('linked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='implemented_by', to='plans.plan')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='implements', to='plans.plan')),
            ],
            options={
                'verbose_name': '上级方案关联',
                'verbose_name_plural': '上级方案关联',
                'ordering': ['parent', 'plan'],
            },
        ),
        migrations.CreateModel(
            name='MeasureLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('similarity', models.DecimalField(decimal_places=3, max_digits=4, verbose_name='相似度')),
                ('state', models.CharField(choices=[('proposed', '建议（待确认）'), ('confirmed', '已确认')], max_length=10, verbose_name='状态')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links_up', to='plans.measure')),
                ('parent_measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links_down', to='plans.measure')),
                ('link', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measure_links', to='versions.planlink')),
            ],
            options={
                'verbose_name': '举措关联',
                'verbose_name_plural': '举措关联',
                'ordering': ['link', 'measure__task__number', 'measure__number'],
            },
        ),
        migrations.CreateModel(
            name='TaskLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('similarity', models.DecimalField(decimal_places=3, max_digits=4, verbose_name='相似度')),
                ('state', models.CharField(choices=[('proposed', '建议（待确认）'), ('confirmed', '已确认')], max_length=10, verbose_name='状态')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('link', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='task_links', to='versions.planlink')),
                ('parent_task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links_down', to='plans.task')),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links_up', to='plans.task')),
            ],
            options={
                'verbose_name': '任务关联',
                'verbose_name_plural': '任务关联',
                'ordering': ['link', 'task__number', 'parent_task__number'],
            },
        ),
        migrations.AddConstraint(
            model_name='planlink',
            constraint=models.UniqueConstraint(fields=('plan', 'parent'), name='plan_link_unique'),
        ),
        migrations.AddConstraint(
            model_name='planlink',
            constraint=models.CheckConstraint(condition=models.Q(('plan', models.F('parent')), _negated=True), name='plan_link_not_self'),
        ),
        migrations.AddConstraint(
            model_name='measurelink',
            constraint=models.UniqueConstraint(fields=('link', 'measure', 'parent_measure'), name='measure_link_unique'),
        ),
        migrations.AddConstraint(
            model_name='tasklink',
            constraint=models.UniqueConstraint(fields=('link', 'task', 'parent_task'), name='task_link_unique'),
        ),
    ]
