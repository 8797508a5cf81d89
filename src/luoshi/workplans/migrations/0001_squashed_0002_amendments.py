"""Every migration of this app up to 0002_amendments in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('workplans', '0001_initial'), ('workplans', '0002_amendments')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('state', models.CharField(choices=[('draft', '草拟中'), ('submitted', '已报送'), ('approved', '已审定'), ('returned', '已退回')], default='draft', max_length=10, verbose_name='状态')),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('approved_on', models.DateField(blank=True, null=True, verbose_name='审定日期')),
                ('return_reason', models.CharField(blank=True, max_length=500, verbose_name='退回理由')),
                ('revision', models.PositiveSmallIntegerField(default=0, verbose_name='版次')),
                ('amend_reason', models.CharField(blank=True, max_length=500, verbose_name='修订理由')),
                ('superseded_on', models.DateField(blank=True, null=True, verbose_name='被修订日期')),
                ('amends', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='amendments', to='workplans.workplan')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='work_plans', to='plans.organisation')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='work_plans', to='plans.plan')),
            ],
            options={
                'verbose_name': '年度工作计划',
                'verbose_name_plural': '年度工作计划',
            },
        ),
        migrations.CreateModel(
            name='Milestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due_on', models.DateField(verbose_name='节点日期')),
                ('deliverable', models.CharField(max_length=500, verbose_name='节点任务')),
                ('result', models.CharField(max_length=500, verbose_name='可检验的成果')),
                ('met_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                ('carried_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workplans.milestone')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='plans.measure')),
                ('work_plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='workplans.workplan')),
            ],
            options={
                'verbose_name': '节点',
                'verbose_name_plural': '节点',
                'ordering': ['due_on', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='workplan',
            constraint=models.UniqueConstraint(fields=('plan', 'organisation', 'year', 'revision'), name='work_plan_unique'),
        ),
    ]
