"""Every migration of this app up to 0002_observation_history in one, for new databases (made by `makemigrations`
from the models: docs/decisions/0008-squashed-migrations.md). Databases that applied the
migrations it replaces go on from them; the replaced files stay until no installation needs them."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('metrics', '0001_initial'), ('metrics', '0002_observation_history')]

    dependencies = [
        ('plans', '0001_squashed_0010_count_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IndicatorOwner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='owner', to='plans.indicator')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.organisation')),
            ],
        ),
        migrations.CreateModel(
            name='Observation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('quarter', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='季度')),
                ('value', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='数值')),
                ('basis', models.CharField(choices=[('level', '数值'), ('growth', '增速（%）')], default='level', max_length=10, verbose_name='口径')),
                ('source', models.CharField(blank=True, max_length=200, verbose_name='数据来源')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('entered_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('corrects', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='metrics.observation', verbose_name='更正')),
                ('entered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='plans.indicator')),
            ],
            options={
                'verbose_name': '指标实际值',
                'verbose_name_plural': '指标实际值',
                'ordering': ['indicator', 'year', 'quarter', 'entered_at', 'pk'],
            },
        ),
    ]
