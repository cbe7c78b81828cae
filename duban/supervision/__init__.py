"""Supervision rules (pure Python, no Django): working days, reporting cadence, schedule status, reminders.

Each module takes plain values (dates, numbers, small dataclasses) and returns plain values, so the Django
side (jobs, views, services) calls the same rules that the tests exercise as tables of cases:

- `workdays`: the official Chinese calendar (holidays and 调休) with admin overrides;
- `cadence`: reporting periods and their due dates;
- `schedule`: 序时进度 and the status of a task (未启动 … 逾期), with display vocabularies;
- `ladder`: reminders, 催办 and the blue → yellow → red 督办单 ladder, each event with an idempotency key.
"""
