"""Case counts per map cell, kept current as cases change, so that a map of
any viewport over millions of cases reads a few thousand rows.

Every change to a case's place, status, category, responsible unit, channel
or registration time adds a row to ``CellChange`` (+1 for what the case is
now, -1 for what it was), written by statement triggers on the cases table
in the same transaction — so no code path can forget it, and many writers
never wait for each other on a hot counter row. A worker folds the changes
into the counts every few seconds (``services.cells_fold``); readers add the
few changes not yet folded, so what they see is always current.

Two count tables: ``CellCount`` per cell and month only (the map without
filters, the common case, reads the fewest rows) and ``CellDimCount`` per
cell, month, category, status, unit and channel (the map with filters).
Positions are the public ones: home-related cases are coarsened to about
100 m before they are counted, so no aggregate can point at a home.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

SUMS = ["n", "sum_lon", "sum_lat"]
# The keys start with the level and the cell's row, then its column: a
# viewport is read as one short index range per row of cells
# (``cy = ANY(rows) AND cx BETWEEN``), never a whole column of the city.


class CellChange(models.Model):
    id = models.BigAutoField(primary_key=True)
    n = models.SmallIntegerField()  # +1 or -1
    lon = models.FloatField()
    lat = models.FloatField()
    month = models.DateField()
    category_id = models.IntegerField()
    status = models.CharField(max_length=20)
    unit_id = models.IntegerField()  # 0: no responsible unit
    channel = models.CharField(max_length=10)

    class Meta:
        verbose_name = _("cell change not yet counted")

    def __str__(self) -> str:
        return f"{self.n:+d} {self.month:%Y-%m} ({self.lon:.5f}, {self.lat:.5f})"


class CellCount(models.Model):
    id = models.BigAutoField(primary_key=True)
    level = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    month = models.DateField()
    n = models.IntegerField()
    sum_lon = models.FloatField()
    sum_lat = models.FloatField()

    class Meta:
        verbose_name = _("cases per map cell and month")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "cy", "cx", "month"], include=SUMS, name="insights_cell_key"
            )
        ]
        indexes = [models.Index(fields=["id"], condition=models.Q(n=0), name="insights_cell_empty")]

    def __str__(self) -> str:
        return f"L{self.level} {self.cx}/{self.cy} {self.month:%Y-%m}: {self.n}"


class CellDimCount(models.Model):
    id = models.BigAutoField(primary_key=True)
    level = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    month = models.DateField()
    category_id = models.IntegerField()
    status = models.CharField(max_length=20)
    unit_id = models.IntegerField()
    channel = models.CharField(max_length=10)
    n = models.IntegerField()
    sum_lon = models.FloatField()
    sum_lat = models.FloatField()

    class Meta:
        verbose_name = _("cases per map cell, month and kind")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "level",
                    "cy",
                    "cx",
                    "month",
                    "category_id",
                    "status",
                    "unit_id",
                    "channel",
                ],
                include=SUMS,
                name="insights_celldim_key",
            )
        ]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(n=0), name="insights_celldim_empty")
        ]

    def __str__(self) -> str:
        return f"L{self.level} {self.cx}/{self.cy} {self.month:%Y-%m} {self.status}: {self.n}"


# Planners' statistics, kept like the map counts: per month and kind of case,
# what each case contributes to the measures that do not depend on the
# clock. (Whether a deadline not yet met is already missed depends on the
# clock: those few cases are counted live, see ``statistics``.)
STAT_KEYS = ["month", "category_id", "channel", "unit_id", "district_id", "status"]
STAT_MEASURES = [
    "cases",
    "first_contact",
    "acknowledge_done",
    "acknowledge_met",
    "feedback_done",
    "feedback_met",
    "resolve_done",
    "resolve_met",
]


class StatFields(models.Model):
    month = models.DateField()
    category_id = models.IntegerField()
    channel = models.CharField(max_length=10)
    unit_id = models.IntegerField()  # 0: no responsible unit
    district_id = models.IntegerField()  # 0: no district (no place, or outside the city)
    status = models.CharField(max_length=20)
    cases = models.IntegerField()
    first_contact = models.IntegerField()
    acknowledge_done = models.IntegerField()  # a deadline, acknowledged (in time or not)
    acknowledge_met = models.IntegerField()
    feedback_done = models.IntegerField()
    feedback_met = models.IntegerField()
    resolve_done = models.IntegerField()
    resolve_met = models.IntegerField()

    class Meta:
        abstract = True


class StatChange(StatFields):
    """A case's contribution added (+1 in every measure it counts in) or
    taken away (-1), not yet folded into ``StatMonth``."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = _("statistics change not yet counted")

    def __str__(self) -> str:
        return f"{self.cases:+d} {self.month:%Y-%m} {self.status}"


class StatMonth(StatFields):
    """Cases per month and kind, with what they count towards."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = _("cases per month and kind")
        constraints = [
            models.UniqueConstraint(
                fields=STAT_KEYS, include=STAT_MEASURES, name="insights_statmonth_key"
            )
        ]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(cases=0), name="insights_stat_empty")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.status}: {self.cases}"
