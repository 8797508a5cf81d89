"""Every 责任人 named so far (a login account) becomes a person record of its unit, linked to that
account, with the account's name, e-mail and phone: nothing named before is lost."""

from django.db import migrations


def forwards(apps, schema_editor):
    ResponsiblePerson = apps.get_model("accounts", "ResponsiblePerson")
    Person = apps.get_model("accounts", "Person")
    Membership = apps.get_model("accounts", "Membership")
    phones = dict(Membership.objects.values_list("user_id", "phone"))
    records = {}
    for assignment in ResponsiblePerson.objects.select_related("person").order_by("pk"):
        user = assignment.person
        key = (assignment.organisation_id, user.pk)
        if key not in records:
            records[key] = Person.objects.create(
                organisation_id=assignment.organisation_id,
                name=(user.last_name + user.first_name) or user.username,
                email=user.email,
                office_phone=phones.get(user.pk, "") or "",
                user=user,
            )
        assignment.record = records[key]
        assignment.save(update_fields=["record"])


def backwards(apps, schema_editor):
    ResponsiblePerson = apps.get_model("accounts", "ResponsiblePerson")
    # Only the records linked to an account can go back to being an account.
    ResponsiblePerson.objects.filter(record__user__isnull=True).delete()
    for assignment in ResponsiblePerson.objects.select_related("record"):
        assignment.person_id = assignment.record.user_id
        assignment.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_person")]

    operations = [migrations.RunPython(forwards, backwards)]
