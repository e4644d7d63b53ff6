"""FormerTps becomes FormerRow, the former ids of TPS, people, units and regions: the table is
renamed, so the TPS ids kept so far stay (kind "tps")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0012_tps_former_ids"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="formertps", name="former_tps_unique"),
        migrations.RenameModel(old_name="FormerTps", new_name="FormerRow"),
        migrations.AddField(
            model_name="formerrow",
            name="kind",
            field=models.CharField(
                choices=[("tps", "TPS"), ("person", "personel"), ("unit", "satuan"), ("region", "wilayah")],
                default="tps",
                max_length=8,
                verbose_name="jenis",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="formerrow",
            name="code",
            field=models.CharField(max_length=60, verbose_name="kode"),
        ),
        migrations.AlterField(
            model_name="formerrow",
            name="operation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="former_rows", to="operations.operation"
            ),
        ),
        migrations.AlterModelOptions(
            name="formerrow",
            options={"verbose_name": "id lama", "verbose_name_plural": "id lama"},
        ),
        migrations.AddConstraint(
            model_name="formerrow",
            constraint=models.UniqueConstraint(fields=("operation", "kind", "former_id"), name="former_row_unique"),
        ),
    ]
