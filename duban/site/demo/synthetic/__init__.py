"""Synthetic data at district, city or province scale, for measuring the pages (``duban gen``).

Everything is derived from one seed, so two runs with the same seed and day give the same rows. Rows are
written in large batches straight into the tables (COPY on PostgreSQL, executemany on SQLite) with ids
assigned here, so foreign keys need no round trip; the province (2,000 units, 50,000 tasks, a million
progress reports) takes minutes. Statuses and lights are not invented: each task's reports, milestones
and indicator actuals are generated first and the status engine (duban.supervision.schedule) judges them,
as the daily worker would; the letters are those the escalation ladder (duban.supervision.ladder) would have
issued for them. One audit entry summarises the run instead of one per row.

The steps, one module each: office (units and people), tasks (documents, the task tree, status), reports,
letters; writer does the bulk inserts, state carries what the steps share, generator runs them in order.
"""
from __future__ import annotations

from .generator import Generator, analyse, generate, has_tasks
from .scales import PASSWORD, SCALES, Scale

__all__ = ["PASSWORD", "SCALES", "Generator", "Scale", "analyse", "generate", "has_tasks"]
