"""Every migration of this app up to 0010_count_kind in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('plans', '0001_initial'), ('plans', '0002_central_ministry_kind'), ('plans', '0003_measure_scope'), ('plans', '0004_item_deadlines_and_rules'), ('plans', '0005_plan_level'), ('plans', '0006_responsibility_guiding_duty'), ('plans', '0007_plan_particulars'), ('plans', '0008_programmes'), ('plans', '0009_revision_lineage'), ('plans', '0010_count_kind')]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                ('kind', models.CharField(choices=[('central_ministry', '中央部委'), ('city_bureau', '市直部门'), ('party', '党委部门'), ('provincial', '省直部门'), ('central_vertical', '中央驻岳单位'), ('district', '区县/园区'), ('enterprise', '企业'), ('court', '法院'), ('procuratorate', '检察院'), ('institution', '事业单位/社团'), ('unknown', '未识别')], max_length=20, verbose_name='类型')),
                ('level', models.CharField(choices=[('central', '中央'), ('provincial', '省级'), ('city', '市级'), ('district', '区县级')], max_length=20, verbose_name='层级')),
                ('in_directory', models.BooleanField(default=True, verbose_name='目录内')),
            ],
            options={
                'verbose_name': '单位',
                'verbose_name_plural': '单位',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Measure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='序号')),
                ('number_as_written', models.CharField(blank=True, max_length=20, verbose_name='原文序号')),
                ('group', models.CharField(blank=True, max_length=300, verbose_name='所属事项')),
                ('text', models.TextField(verbose_name='举措')),
                ('scope', models.CharField(blank=True, max_length=300, verbose_name='适用范围')),
                ('deadline_text', models.CharField(blank=True, max_length=100, verbose_name='举措时限')),
                ('due_kind', models.CharField(blank=True, choices=[('dated', '有期限'), ('ongoing', '持续推进'), ('recurring', '周期性'), ('unknown', '未定')], max_length=10, verbose_name='期限类型')),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='举措截止日期')),
                ('units_note', models.CharField(blank=True, max_length=300, verbose_name='分工说明')),
                ('first_line', models.PositiveIntegerField(verbose_name='起始行')),
                ('last_line', models.PositiveIntegerField(verbose_name='结束行')),
                ('carried_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_to', to='plans.measure')),
            ],
            options={
                'verbose_name': '举措',
                'verbose_name_plural': '举措',
                'ordering': ['task__plan', 'task__number', 'number'],
            },
        ),
        migrations.CreateModel(
            name='OrganisationAlias',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='别名')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aliases', to='plans.organisation')),
            ],
            options={
                'verbose_name': '别名',
                'verbose_name_plural': '别名',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Plan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=300, verbose_name='标题')),
                ('issuer', models.CharField(blank=True, max_length=100, verbose_name='发布单位')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='发布时间')),
                ('status', models.CharField(choices=[('draft', '征求意见稿'), ('final', '正式稿'), ('repealed', '已废止')], max_length=10, verbose_name='状态')),
                ('level', models.CharField(choices=[('central', '中央'), ('provincial', '省级'), ('city', '市级'), ('district', '区县级')], default='city', max_length=20, verbose_name='发文层级')),
                ('place', models.CharField(blank=True, max_length=60, verbose_name='发文地区')),
                ('doc_number', models.CharField(blank=True, max_length=60, verbose_name='文号')),
                ('issuers', models.JSONField(blank=True, default=list, verbose_name='发文机关')),
                ('issued_on', models.DateField(blank=True, null=True, verbose_name='成文日期')),
                ('scope', models.TextField(blank=True, verbose_name='适用范围')),
                ('source_name', models.CharField(max_length=300, verbose_name='来源文件')),
                ('fingerprint', models.CharField(max_length=64, unique=True, verbose_name='内容指纹')),
                ('introduction', models.TextField(blank=True, verbose_name='前言')),
                ('area_km2', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, verbose_name='面积（平方公里）')),
                ('facts', models.JSONField(blank=True, default=dict, verbose_name='概况')),
                ('source_lines', models.JSONField(blank=True, default=list, verbose_name='原文')),
                ('parse_report', models.JSONField(blank=True, default=list, verbose_name='解析报告')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='导入时间')),
                ('effective_from', models.DateField(blank=True, null=True, verbose_name='生效日期')),
                ('revises', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='revisions', to='plans.plan')),
            ],
            options={
                'verbose_name': '方案',
                'verbose_name_plural': '方案',
                'ordering': ['-imported_at'],
            },
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='排序')),
                ('category', models.CharField(max_length=50, verbose_name='类别')),
                ('name', models.CharField(max_length=100, verbose_name='指标名称')),
                ('unit', models.CharField(blank=True, max_length=20, verbose_name='单位')),
                ('target_kind', models.CharField(choices=[('annual_growth', '年均增长'), ('cumulative', '多年累计'), ('yearly_thresholds', '逐年目标（落实率，系统计算）'), ('count', '逐年计数（案例）'), ('unknown', '未识别')], max_length=20, verbose_name='目标类型')),
                ('province_target', models.CharField(blank=True, max_length=200, verbose_name='省目标')),
                ('area_target', models.CharField(blank=True, max_length=200, verbose_name='片区目标')),
                ('province_value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                ('area_value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='片区目标值')),
                ('province_by_year', models.JSONField(blank=True, default=dict)),
                ('area_by_year', models.JSONField(blank=True, default=dict, verbose_name='片区逐年目标')),
                ('period_years', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='累计年数')),
                ('source_line', models.PositiveIntegerField(verbose_name='原文行')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='plans.plan')),
            ],
            options={
                'verbose_name': '主要预期指标',
                'verbose_name_plural': '主要预期指标',
                'ordering': ['plan', 'position'],
            },
        ),
        migrations.CreateModel(
            name='PlanTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('implementation_rate', '落实率'), ('national_cases', '国家改革创新案例'), ('cases', '国家及省内案例')], max_length=30, verbose_name='目标')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='年度')),
                ('value', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='目标值')),
                ('text', models.CharField(max_length=200, verbose_name='原文')),
                ('source_line', models.PositiveIntegerField(verbose_name='原文行')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='plans.plan')),
            ],
            options={
                'verbose_name': '方案目标',
                'verbose_name_plural': '方案目标',
                'ordering': ['plan', 'kind', 'year'],
            },
        ),
        migrations.CreateModel(
            name='Programme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=300, verbose_name='名称')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('in_force', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.plan')),
                ('public', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.plan')),
            ],
            options={
                'verbose_name': '方案系列',
                'verbose_name_plural': '方案系列',
                'ordering': ['pk'],
            },
        ),
        migrations.AddField(
            model_name='plan',
            name='programme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='plans.programme', verbose_name='方案系列'),
        ),
        migrations.CreateModel(
            name='Section',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='序号')),
                ('numeral', models.CharField(max_length=10, verbose_name='原文序号')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('text', models.TextField(blank=True, verbose_name='正文')),
                ('first_line', models.PositiveIntegerField(verbose_name='起始行')),
                ('last_line', models.PositiveIntegerField(verbose_name='结束行')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='plans.plan')),
            ],
            options={
                'verbose_name': '部分',
                'verbose_name_plural': '部分',
                'ordering': ['plan', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Task',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='序号')),
                ('numeral', models.CharField(max_length=10, verbose_name='原文序号')),
                ('title', models.TextField(verbose_name='任务')),
                ('deadline_text', models.CharField(blank=True, max_length=100, verbose_name='落实时间')),
                ('due_kind', models.CharField(choices=[('dated', '有期限'), ('ongoing', '持续推进'), ('recurring', '周期性'), ('unknown', '未定')], default='unknown', max_length=10, verbose_name='期限类型')),
                ('due_date', models.DateField(blank=True, db_index=True, null=True, verbose_name='截止日期')),
                ('evaluation_target', models.TextField(blank=True, verbose_name='评估目标')),
                ('units_note', models.CharField(blank=True, max_length=300, verbose_name='分工说明')),
                ('first_line', models.PositiveIntegerField(verbose_name='起始行')),
                ('last_line', models.PositiveIntegerField(verbose_name='结束行')),
                ('carried_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_to', to='plans.task')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='plans.plan')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='plans.section')),
            ],
            options={
                'verbose_name': '任务',
                'verbose_name_plural': '任务',
                'ordering': ['plan', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Responsibility',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', '牵头单位'), ('supporting', '配合单位'), ('responsible', '责任单位'), ('guiding', '指导单位')], max_length=12, verbose_name='角色')),
                ('position', models.PositiveSmallIntegerField(verbose_name='排序')),
                ('as_written', models.CharField(max_length=100, verbose_name='原文写法')),
                ('and_others', models.BooleanField(default=False, verbose_name='含“等”其他单位')),
                ('source', models.CharField(choices=[('written', '原文列明'), ('rule', '按规则推定'), ('inherited', '沿用（下同/以下均需/上级事项）')], default='written', max_length=10, verbose_name='依据')),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='responsibilities', to='plans.measure')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responsibilities', to='plans.organisation')),
                ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='responsibilities', to='plans.task')),
            ],
            options={
                'verbose_name': '责任分工',
                'verbose_name_plural': '责任分工',
                'ordering': ['position'],
            },
        ),
        migrations.AddField(
            model_name='measure',
            name='task',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='plans.task'),
        ),
        migrations.AddConstraint(
            model_name='section',
            constraint=models.UniqueConstraint(fields=('plan', 'number'), name='section_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='task',
            constraint=models.UniqueConstraint(fields=('plan', 'number'), name='task_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.CheckConstraint(condition=models.Q(('task__isnull', True), ('measure__isnull', True), _connector='XOR'), name='responsibility_one_target'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(fields=('task', 'organisation'), name='responsibility_unique_task_org'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(fields=('measure', 'organisation'), name='responsibility_unique_measure_org'),
        ),
        migrations.AddConstraint(
            model_name='measure',
            constraint=models.UniqueConstraint(fields=('task', 'number'), name='measure_unique_number'),
        ),
    ]
