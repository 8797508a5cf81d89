"""Every migration of this app up to 0011_message_texts in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
import django.utils.timezone
import luoshi.accounts.crypto
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('supervision', '0001_initial'), ('supervision', '0002_notice_event_state_choices'), ('supervision', '0003_extension'), ('supervision', '0004_notice_proposed_on'), ('supervision', '0005_extension_leader'), ('supervision', '0006_encrypted_personal_fields'), ('supervision', '0007_assignments'), ('supervision', '0008_appraisal'), ('supervision', '0009_notice_event_steps'), ('supervision', '0010_risk_review_urgings'), ('supervision', '0011_message_texts')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        ('progress', '0001_squashed_0007_cycle_names_from_periods'),
        ('risks', '0001_squashed_0002_risk_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('instruction', '领导批示'), ('decision', '会议议定事项'), ('coordination', '协调事项')], max_length=14, verbose_name='类别')),
                ('state', models.CharField(choices=[('raised', '待分派'), ('open', '办理中'), ('answered', '已反馈'), ('closed', '已办结')], default='open', max_length=10, verbose_name='状态')),
                ('text', models.TextField(max_length=2000, verbose_name='事项')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='办理期限')),
                ('answer', models.TextField(blank=True, max_length=2000, verbose_name='落实情况')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='反馈时间')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='办结时间')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='plans.measure')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='plans.organisation', verbose_name='承办单位')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('raised_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.organisation')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='progress.report')),
            ],
            options={
                'verbose_name': '督办事项',
                'verbose_name_plural': '督办事项',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AssignmentEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=12, verbose_name='操作')),
                ('to_state', models.CharField(choices=[('raised', '待分派'), ('open', '办理中'), ('answered', '已反馈'), ('closed', '已办结')], max_length=10)),
                ('comment', models.TextField(blank=True, verbose_name='意见')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='supervision.assignment')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Channel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('email', '电子邮件'), ('sms', '短信网关'), ('wecom', '企业微信机器人'), ('dingtalk', '钉钉机器人'), ('govwechat', '政务微信机器人')], max_length=12, verbose_name='渠道')),
                ('url', models.URLField(max_length=500, verbose_name='地址')),
                ('secret', models.CharField(blank=True, max_length=200, verbose_name='密钥')),
                ('enabled', models.BooleanField(default=True, verbose_name='启用')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.organisation')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '消息渠道',
                'verbose_name_plural': '消息渠道',
            },
        ),
        migrations.CreateModel(
            name='CycleMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('missed', '未报送'), ('late', '逾期报送')], max_length=8, verbose_name='情况')),
                ('days_late', models.PositiveSmallIntegerField(default=0)),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='marks', to='progress.reportingcycle')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cycle_marks', to='plans.measure')),
            ],
        ),
        migrations.CreateModel(
            name='Exemption',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(max_length=2000, verbose_name='免责理由')),
                ('evidence', models.TextField(max_length=2000, verbose_name='依据材料')),
                ('state', models.CharField(choices=[('pending', '待认定'), ('approved', '予以免责'), ('refused', '不予免责')], default='pending', max_length=10, verbose_name='状态')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decided_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='认定日期')),
                ('decision_note', models.TextField(blank=True, verbose_name='认定意见')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='exemptions', to='plans.measure')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.organisation')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '容错免责',
                'verbose_name_plural': '容错免责',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Extension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_due', models.DateField(blank=True, null=True, verbose_name='原定期限')),
                ('requested_due', models.DateField(verbose_name='申请延至')),
                ('reason', models.TextField(max_length=2000, verbose_name='延期理由')),
                ('state', models.CharField(choices=[('pending', '待审批'), ('leader', '待分管领导审批'), ('approved', '已批准'), ('refused', '不予批准')], default='pending', max_length=10, verbose_name='状态')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decided_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='决定日期')),
                ('decision_note', models.TextField(blank=True, verbose_name='审批意见')),
                ('office_on', models.DateField(blank=True, null=True, verbose_name='片区办同意日期')),
                ('office_note', models.TextField(blank=True, verbose_name='片区办意见')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extensions', to='plans.measure')),
                ('office_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.organisation')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '延期申请',
                'verbose_name_plural': '延期申请',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Instruction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=2000, verbose_name='批示内容')),
                ('due_on', models.DateField(verbose_name='落实期限')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='instructions', to='plans.measure')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='instructions', to='progress.report')),
                ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='instructions', to='plans.task')),
            ],
            options={
                'verbose_name': '领导批示',
                'verbose_name_plural': '领导批示',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='assignment',
            name='instruction',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='supervision.instruction'),
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('leading_group', '领导小组会议'), ('topic', '专题会议'), ('joint', '联席会议')], max_length=16, verbose_name='会议类型')),
                ('title', models.CharField(max_length=200, verbose_name='会议名称')),
                ('held_on', models.DateField(verbose_name='会议日期')),
                ('attendees', models.TextField(blank=True, max_length=2000, verbose_name='参会人员')),
                ('minutes_name', models.CharField(blank=True, max_length=200, verbose_name='会议纪要')),
                ('minutes_stored', models.CharField(blank=True, max_length=80)),
                ('minutes_type', models.CharField(blank=True, max_length=100)),
                ('minutes_sha256', models.CharField(blank=True, max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '会议',
                'verbose_name_plural': '会议',
                'ordering': ['-held_on', '-id'],
            },
        ),
        migrations.AddField(
            model_name='assignment',
            name='meeting',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='supervision.meeting'),
        ),
        migrations.CreateModel(
            name='Message',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=200, verbose_name='标题')),
                ('body', models.TextField(blank=True, verbose_name='内容')),
                ('link', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                ('texts', models.JSONField(blank=True, default=dict)),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages_received', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '消息',
                'verbose_name_plural': '消息',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('email', '电子邮件'), ('sms', '短信网关'), ('wecom', '企业微信机器人'), ('dingtalk', '钉钉机器人'), ('govwechat', '政务微信机器人')], max_length=12, verbose_name='渠道')),
                ('target', luoshi.accounts.crypto.EncryptedCharField(max_length=300, verbose_name='发送至')),
                ('status', models.CharField(choices=[('pending', '待发送'), ('sent', '已送达'), ('failed', '发送失败')], default='pending', max_length=10, verbose_name='状态')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                ('last_error', models.CharField(blank=True, max_length=300, verbose_name='错误')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='送达时间')),
                ('channel', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='supervision.channel')),
                ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='supervision.message')),
            ],
            options={
                'verbose_name': '消息投递',
                'verbose_name_plural': '消息投递',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('number', models.PositiveIntegerField(blank=True, null=True)),
                ('level', models.CharField(choices=[('general', '一般督办'), ('key', '重点督办'), ('listed', '挂牌督办')], max_length=8, verbose_name='督办级别')),
                ('reason', models.CharField(choices=[('no_report', '未按期报送'), ('overdue', '逾期'), ('red', '红灯'), ('instruction', '领导批示'), ('meeting', '会议议定'), ('unsigned', '督办单逾期未签收'), ('no_reply', '督办单逾期未反馈'), ('coordination', '协调事项'), ('risk_review', '风险逾期未复核'), ('other', '其他')], max_length=12, verbose_name='督办事由')),
                ('requirement', models.TextField(blank=True, max_length=2000, verbose_name='督办要求')),
                ('state', models.CharField(choices=[('proposed', '建议督办'), ('issued', '已交办'), ('signed', '已签收'), ('replied', '已反馈'), ('returned', '已退回'), ('closed', '已办结'), ('dropped', '不予督办')], default='issued', max_length=10, verbose_name='状态')),
                ('reply_due', models.DateField(blank=True, null=True, verbose_name='反馈期限')),
                ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='交办时间')),
                ('signed_at', models.DateTimeField(blank=True, null=True, verbose_name='签收时间')),
                ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='反馈时间')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='办结时间')),
                ('reply', models.TextField(blank=True, max_length=2000, verbose_name='办理情况')),
                ('proposed_on', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('assignment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='supervision.assignment')),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='plans.measure')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='plans.organisation', verbose_name='承办单位')),
                ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='plans.task')),
            ],
            options={
                'verbose_name': '督办单',
                'verbose_name_plural': '督办单',
                'ordering': ['-year', '-number', '-id'],
            },
        ),
        migrations.AddField(
            model_name='instruction',
            name='notice',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='instructions', to='supervision.notice'),
        ),
        migrations.CreateModel(
            name='NoticeEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('propose', '提议督办'), ('issue', '下发'), ('drop', '不予督办'), ('sign', '签收'), ('reply', '反馈'), ('close', '办结'), ('return', '退回')], max_length=12, verbose_name='操作')),
                ('to_state', models.CharField(choices=[('proposed', '建议督办'), ('issued', '已交办'), ('signed', '已签收'), ('replied', '已反馈'), ('returned', '已退回'), ('closed', '已办结'), ('dropped', '不予督办')], max_length=10)),
                ('comment', models.TextField(blank=True, verbose_name='意见')),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='supervision.notice')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='NoticeFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('stored_name', models.CharField(max_length=80, unique=True)),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='supervision.notice')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Oversight',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('leader', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.organisation')),
            ],
            options={
                'verbose_name': '分管领导',
                'verbose_name_plural': '分管领导',
            },
        ),
        migrations.CreateModel(
            name='ScoreAdjustment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('points', models.SmallIntegerField(verbose_name='分值')),
                ('reason', models.CharField(max_length=200, verbose_name='理由')),
                ('on', models.DateField(verbose_name='日期')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.organisation')),
            ],
            options={
                'verbose_name': '考核加减分',
                'verbose_name_plural': '考核加减分',
                'ordering': ['-on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Urging',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('no_report', '未按期报送'), ('overdue', '逾期'), ('red', '红灯'), ('instruction', '领导批示'), ('meeting', '会议议定'), ('unsigned', '督办单逾期未签收'), ('no_reply', '督办单逾期未反馈'), ('coordination', '协调事项'), ('risk_review', '风险逾期未复核'), ('other', '其他')], max_length=12, verbose_name='事由')),
                ('rung', models.CharField(choices=[('reporter', '填报人'), ('head', '单位负责人'), ('leader', '分管领导'), ('office', '片区办')], max_length=10, verbose_name='层级')),
                ('detail', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('detail_text', models.JSONField(blank=True, default=dict)),
                ('day', models.DateField(verbose_name='日期')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('assignment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='urgings', to='supervision.assignment')),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='urgings', to='plans.measure')),
                ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='urgings', to='supervision.message')),
                ('notice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='urgings', to='supervision.notice')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('risk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='urgings', to='risks.risk')),
            ],
            options={
                'verbose_name': '催办记录',
                'verbose_name_plural': '催办记录',
                'ordering': ['day', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='channel',
            constraint=models.CheckConstraint(condition=models.Q(('organisation__isnull', False), ('user__isnull', False), _connector='OR'), name='channel_has_owner'),
        ),
        migrations.AddConstraint(
            model_name='cyclemark',
            constraint=models.UniqueConstraint(fields=('cycle', 'measure'), name='cycle_mark_unique'),
        ),
        migrations.AddConstraint(
            model_name='notice',
            constraint=models.UniqueConstraint(fields=('year', 'number'), name='notice_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='oversight',
            constraint=models.UniqueConstraint(fields=('leader', 'organisation'), name='oversight_unique'),
        ),
        migrations.AddConstraint(
            model_name='urging',
            constraint=models.UniqueConstraint(fields=('measure', 'notice', 'assignment', 'risk', 'reason', 'recipient', 'day'), name='urging_once_per_reason_and_day', nulls_distinct=False),
        ),
    ]
