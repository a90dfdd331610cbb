"""The template's title in English too: the Swedish one keeps its values."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("categories", "0001_initial")]

    operations = [
        migrations.RenameField("category", "template_title", "template_title_sv"),
        migrations.AlterField(
            model_name="category",
            name="template_title_sv",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="template title (Swedish)"
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="template_title_en",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="template title (English)"
            ),
        ),
    ]
