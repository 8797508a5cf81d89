"""Every migration of this app up to 0005_attachment_shared_file in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('cases', '0001_initial'), ('cases', '0002_case_review_and_attachments'), ('cases', '0003_evaluation_framework_findings'), ('cases', '0004_case_version'), ('cases', '0005_attachment_shared_file')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Criterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='评估指标')),
                ('max_score', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='满分')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='plans.plan')),
            ],
            options={
                'verbose_name': '评估指标',
                'verbose_name_plural': '评估指标体系',
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Evaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('self', '牵头单位自评'), ('third_party', '第三方单项评估'), ('annual', '年度整体评估')], max_length=12, verbose_name='类型')),
                ('evaluator', models.CharField(max_length=100, verbose_name='评估主体')),
                ('period_start', models.DateField(blank=True, null=True, verbose_name='评估期起')),
                ('period_end', models.DateField(blank=True, null=True, verbose_name='评估期止')),
                ('method', models.TextField(blank=True, verbose_name='评估方法')),
                ('evaluated_on', models.DateField(verbose_name='评估日期')),
                ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='得分')),
                ('grade', models.CharField(blank=True, max_length=20, verbose_name='等次')),
                ('findings', models.TextField(blank=True, verbose_name='评估意见')),
                ('target_met', models.BooleanField(null=True, verbose_name='评估目标是否达成')),
                ('report_name', models.CharField(blank=True, max_length=200, verbose_name='评估报告')),
                ('report_stored', models.CharField(blank=True, max_length=80)),
                ('report_type', models.CharField(blank=True, max_length=100)),
                ('report_sha256', models.CharField(blank=True, max_length=64)),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='plans.plan')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='plans.task')),
            ],
            options={
                'verbose_name': '评估',
                'verbose_name_plural': '评估',
                'ordering': ['-evaluated_on'],
            },
        ),
        migrations.CreateModel(
            name='CriterionScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='得分')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.criterion')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='cases.evaluation')),
            ],
            options={
                'ordering': ['criterion__position', 'criterion_id'],
            },
        ),
        migrations.CreateModel(
            name='Finding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='评估发现')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('state', models.CharField(choices=[('noted', '评估发现'), ('open', '整改中'), ('reported', '已报整改情况'), ('closed', '已销号')], default='noted', max_length=10, verbose_name='状态')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='整改期限')),
                ('assigned_on', models.DateField(blank=True, null=True, verbose_name='交办日期')),
                ('response', models.TextField(blank=True, verbose_name='整改情况')),
                ('office_comment', models.TextField(blank=True, verbose_name='片区办意见')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='销号日期')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='cases.evaluation')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rectifications', to='plans.organisation')),
            ],
            options={
                'verbose_name': '评估发现与整改',
                'verbose_name_plural': '评估发现与整改',
                'ordering': ['evaluation', 'position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='InnovationCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='案例名称')),
                ('summary', models.TextField(blank=True, verbose_name='简介')),
                ('full_text', models.TextField(blank=True, verbose_name='案例全文')),
                ('category', models.CharField(choices=[('investment', '投资自由化便利化'), ('trade', '贸易便利化'), ('finance', '金融开放创新'), ('government', '政府职能转变'), ('industry', '产业开放发展'), ('other', '其他')], default='other', max_length=12, verbose_name='类别')),
                ('level', models.CharField(choices=[('area', '片区级'), ('city', '市级'), ('province', '省级'), ('national', '国家级')], max_length=10, verbose_name='报送层级')),
                ('stage', models.CharField(choices=[('draft', '起草'), ('submitted', '已报送'), ('reviewed', '已审查'), ('rejected', '不予推广'), ('selected', '已入选'), ('promoted', '复制推广')], default='draft', max_length=10, verbose_name='阶段')),
                ('submitted_on', models.DateField(blank=True, null=True, verbose_name='报送日期')),
                ('reviewed_on', models.DateField(blank=True, null=True, verbose_name='审查通过日期')),
                ('rejected_on', models.DateField(blank=True, null=True, verbose_name='不予推广日期')),
                ('selected_on', models.DateField(blank=True, null=True, verbose_name='入选日期')),
                ('promoted_on', models.DateField(blank=True, null=True, verbose_name='推广日期')),
                ('promoted_scope', models.CharField(blank=True, choices=[('national', '全国'), ('province', '全省'), ('city', '全市')], max_length=10, verbose_name='推广范围')),
                ('documents', models.TextField(blank=True, help_text='文号或链接，每行一个', verbose_name='相关文件')),
                ('published', models.BooleanField(default=False, verbose_name='公开')),
                ('version', models.PositiveIntegerField(default=0)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='plans.organisation')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cases', to='plans.plan')),
                ('tasks', models.ManyToManyField(blank=True, related_name='cases', to='plans.task')),
            ],
            options={
                'verbose_name': '创新案例',
                'verbose_name_plural': '创新案例',
                'ordering': ['-submitted_on', 'title'],
            },
        ),
        migrations.CreateModel(
            name='CaseReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reviewed_on', models.DateField(verbose_name='审查日期')),
                ('category', models.CharField(choices=[('investment', '投资自由化便利化'), ('trade', '贸易便利化'), ('finance', '金融开放创新'), ('government', '政府职能转变'), ('industry', '产业开放发展'), ('other', '其他')], max_length=12, verbose_name='类别')),
                ('risk', models.CharField(choices=[('low', '低'), ('medium', '中'), ('high', '高')], max_length=8, verbose_name='风险等级')),
                ('opinion', models.TextField(verbose_name='审查意见')),
                ('result', models.CharField(choices=[('pass', '通过'), ('revise', '修改后再审'), ('reject', '不予推广')], max_length=8, verbose_name='审查结论')),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='cases.innovationcase')),
            ],
            options={
                'verbose_name': '分类审查',
                'verbose_name_plural': '分类审查',
                'ordering': ['reviewed_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CaseAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('stored_name', models.CharField(db_index=True, max_length=80)),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='cases.innovationcase')),
            ],
            options={
                'verbose_name': '案例附件',
                'verbose_name_plural': '案例附件',
            },
        ),
        migrations.AddConstraint(
            model_name='criterion',
            constraint=models.UniqueConstraint(fields=('plan', 'name'), name='one_criterion_name'),
        ),
        migrations.AddConstraint(
            model_name='criterionscore',
            constraint=models.UniqueConstraint(fields=('evaluation', 'criterion'), name='one_score_each'),
        ),
    ]
