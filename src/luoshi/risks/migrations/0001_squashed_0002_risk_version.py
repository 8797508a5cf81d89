"""Every migration of this app up to 0002_risk_version in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('risks', '0001_initial'), ('risks', '0002_risk_version')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Risk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('description', models.CharField(max_length=1000, verbose_name='风险描述')),
                ('likelihood', models.CharField(choices=[('low', '低'), ('medium', '中'), ('high', '高')], max_length=6, verbose_name='可能性')),
                ('impact', models.CharField(choices=[('low', '低'), ('medium', '中'), ('high', '高')], max_length=6, verbose_name='影响程度')),
                ('level', models.CharField(choices=[('low', '低'), ('medium', '中'), ('high', '高')], max_length=6, verbose_name='风险等级')),
                ('owner', models.CharField(max_length=100, verbose_name='责任人')),
                ('mitigation', models.CharField(max_length=1000, verbose_name='应对措施')),
                ('review_on', models.DateField(verbose_name='复核日期')),
                ('status', models.CharField(choices=[('open', '未化解'), ('closed', '已化解')], default='open', max_length=6, verbose_name='状态')),
                ('raised_on', models.DateField(verbose_name='登记日期')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='化解日期')),
                ('version', models.PositiveIntegerField(default=0)),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='risks', to='plans.measure')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='risks', to='plans.organisation')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risks', to='plans.plan')),
                ('raised_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risks', to='plans.task')),
            ],
            options={
                'verbose_name': '风险',
                'verbose_name_plural': '风险',
                'ordering': ['-raised_on', '-pk'],
            },
        ),
    ]
