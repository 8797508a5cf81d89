import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_person_from_accounts")]

    operations = [
        migrations.RemoveField(model_name="responsibleperson", name="person"),
        migrations.RenameField(model_name="responsibleperson", old_name="record", new_name="person"),
        migrations.AlterField(
            model_name="responsibleperson",
            name="person",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="assignments", to="accounts.person"),
        ),
    ]
