from django.db import migrations


def create_default(apps, schema_editor):
    from onboarding.offboarding_defaults import template_ensure

    template_ensure(apps.get_model("onboarding", "ChecklistTemplate"), apps.get_model("onboarding", "TemplateItem"))


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0003_offboarding")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
