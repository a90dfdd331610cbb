"""Synthetic cases in bulk for planners' maps, statistics and benchmarks:
``cases_seed(count=1_000_000)`` spreads them over the demo city (dense in
the centre along its streets, thinner outwards, only on land), over the
past years with seasonal categories, routed to the contractors whose areas
and seasons cover them, with lifecycles, deadlines and history. Rows are
made in Python and written with COPY in batches; history is derived in
SQL. A million cases take minutes.

Seeded cases are ordinary cases: every count, map and statistic sees them.
They are meant for demo and test databases (names and e-mail addresses are
made up, at example.org)."""

from geocases.demo.seeding.writer import SeedReport, cases_seed

__all__ = ["SeedReport", "cases_seed"]
