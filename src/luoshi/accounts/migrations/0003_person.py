"""责任人 become person records (name, post, phones, e-mail, optional login). Three steps so that the
schema changes and the data copy never share a transaction (PostgreSQL refuses ALTER TABLE with
pending trigger events): add the table and a nullable link, copy, then swap the link in."""

import django.core.validators
import luoshi.accounts.crypto
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_encrypted_personal_fields"),
        ("plans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=40, verbose_name="姓名")),
                ("post", models.CharField(blank=True, max_length=60, verbose_name="职务")),
                ("office_phone", luoshi.accounts.crypto.EncryptedCharField(blank=True, max_length=30, validators=[django.core.validators.RegexValidator("^[0-9+\\-() ]{5,30}$", "电话号码只能包含数字、空格和 + - ( )")], verbose_name="办公电话")),
                ("mobile", luoshi.accounts.crypto.EncryptedCharField(blank=True, max_length=30, validators=[django.core.validators.RegexValidator("^[0-9+\\-() ]{5,30}$", "电话号码只能包含数字、空格和 + - ( )")], verbose_name="手机")),
                ("email", luoshi.accounts.crypto.EncryptedCharField(blank=True, max_length=254, validators=[django.core.validators.EmailValidator()], verbose_name="电子邮箱")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="people", to="plans.organisation", verbose_name="单位")),
                ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="登录账号")),
            ],
            options={
                "verbose_name": "责任人档案",
                "verbose_name_plural": "责任人档案",
                "ordering": ["organisation_id", "name", "pk"],
            },
        ),
        migrations.AddField(
            model_name="responsibleperson",
            name="record",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.person"),
        ),
        migrations.AlterField(
            model_name="responsibleperson",
            name="set_by",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
    ]
