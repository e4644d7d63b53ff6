from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0002_jurisdiction_and_assembly"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="position",
            field=models.CharField(blank=True, default="", max_length=120, verbose_name="jabatan"),
        ),
    ]
