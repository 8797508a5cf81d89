"""Every migration of this app up to 0007_cycle_names_from_periods in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('progress', '0001_initial'), ('progress', '0002_report_published'), ('progress', '0003_event_content'), ('progress', '0004_report_event_steps'), ('progress', '0005_undo_accept'), ('progress', '0006_report_state_indexes'), ('progress', '0007_cycle_names_from_periods')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Report',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('draft', '草稿'), ('submitted', '已提交'), ('approved', '单位已审核'), ('accepted', '片区办已验收')], default='draft', max_length=10, verbose_name='流程状态')),
                ('progress_status', models.CharField(choices=[('not_started', '未启动'), ('in_progress', '推进中'), ('completed', '已完成'), ('ongoing_in_place', '机制已建立（持续推进）')], default='not_started', max_length=20, verbose_name='进展')),
                ('percent', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='完成比例')),
                ('work_done', models.TextField(blank=True, max_length=2000, verbose_name='工作进展')),
                ('problems', models.TextField(blank=True, max_length=2000, verbose_name='问题与困难')),
                ('next_steps', models.TextField(blank=True, max_length=2000, verbose_name='下一步计划')),
                ('return_count', models.PositiveSmallIntegerField(default=0, verbose_name='退回次数')),
                ('return_reason', models.TextField(blank=True, verbose_name='退回理由')),
                ('carried_forward', models.BooleanField(default=False, verbose_name='沿用上期')),
                ('published', models.BooleanField(default=False, verbose_name='公开')),
                ('version', models.PositiveIntegerField(default=1)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('approved_at', models.DateTimeField(blank=True, null=True)),
                ('accepted_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='plans.measure')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='plans.organisation')),
            ],
            options={
                'verbose_name': '进展报告',
                'verbose_name_plural': '进展报告',
                'ordering': ['cycle__starts_on', 'measure'],
            },
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('stored_name', models.CharField(max_length=80, unique=True)),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='progress.report')),
            ],
            options={
                'verbose_name': '佐证材料',
                'verbose_name_plural': '佐证材料',
            },
        ),
        migrations.CreateModel(
            name='ReportEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('draft', '创建草稿'), ('submit', '提交'), ('withdraw', '撤回'), ('approve', '审核通过'), ('send_back', '退回修改'), ('accept', '验收'), ('return', '退回'), ('undo_accept', '撤销验收')], max_length=20, verbose_name='操作')),
                ('from_state', models.CharField(blank=True, max_length=10)),
                ('to_state', models.CharField(max_length=10)),
                ('comment', models.TextField(blank=True, verbose_name='意见')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('progress_status', models.CharField(blank=True, choices=[('not_started', '未启动'), ('in_progress', '推进中'), ('completed', '已完成'), ('ongoing_in_place', '机制已建立（持续推进）')], max_length=20, verbose_name='进展')),
                ('percent', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='完成比例')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='progress.report')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReportingCycle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('typed_name', models.CharField(blank=True, db_column='name', max_length=60, verbose_name='名称')),
                ('starts_on', models.DateField(verbose_name='开始')),
                ('ends_on', models.DateField(verbose_name='结束')),
                ('due_on', models.DateField(verbose_name='填报截止')),
                ('status', models.CharField(choices=[('open', '填报中'), ('closed', '已关闭')], default='open', max_length=10, verbose_name='状态')),
                ('opened_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cycles', to='plans.plan')),
            ],
            options={
                'verbose_name': '填报周期',
                'verbose_name_plural': '填报周期',
                'ordering': ['plan', 'starts_on'],
            },
        ),
        migrations.AddField(
            model_name='report',
            name='cycle',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='progress.reportingcycle'),
        ),
        migrations.CreateModel(
            name='Contribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=2000, verbose_name='配合单位进展')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contributions', to='plans.measure')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='plans.organisation')),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='progress.reportingcycle')),
            ],
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('key', models.CharField(max_length=100)),
                ('sent_on', models.DateField()),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('recipient', 'kind', 'key', 'sent_on'), name='reminder_once_a_day')],
            },
        ),
        migrations.AddConstraint(
            model_name='reportingcycle',
            constraint=models.UniqueConstraint(fields=('plan', 'starts_on'), name='cycle_unique_start'),
        ),
        migrations.AddConstraint(
            model_name='reportingcycle',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='cycle_ends_after_start'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['organisation', 'state'], name='report_unit_state'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['state'], name='report_state'),
        ),
        migrations.AddConstraint(
            model_name='report',
            constraint=models.UniqueConstraint(fields=('measure', 'cycle'), name='report_one_per_cycle'),
        ),
        migrations.AddConstraint(
            model_name='contribution',
            constraint=models.UniqueConstraint(fields=('measure', 'cycle', 'organisation'), name='contribution_unique'),
        ),
    ]
