"""Every migration of this app up to 0002_project_version in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('funding', '0001_initial'), ('funding', '0002_project_version')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Project',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='项目名称')),
                ('source', models.CharField(choices=[('central', '中央'), ('province', '省'), ('city', '市'), ('county', '区县'), ('own', '自筹'), ('private', '社会资本'), ('other', '其他')], max_length=10, verbose_name='资金来源')),
                ('planned', models.DecimalField(decimal_places=2, max_digits=15, verbose_name='计划投资（元）')),
                ('allocated', models.DecimalField(decimal_places=2, max_digits=15, verbose_name='已下达（元）')),
                ('spent', models.DecimalField(decimal_places=2, max_digits=15, verbose_name='已支出（元）')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('version', models.PositiveIntegerField(default=0)),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='funding_projects', to='plans.measure')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='funding_projects', to='plans.organisation')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='funding_projects', to='plans.plan')),
                ('updated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '改革项目',
                'verbose_name_plural': '改革项目',
                'ordering': ['organisation__name', 'pk'],
            },
        ),
    ]
