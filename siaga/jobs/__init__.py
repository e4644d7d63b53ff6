"""Long work as jobs on a task queue (Django-Q2 with its ORM broker): plans, re-plans and the
orders of a plan version, run by `manage.py worker` beside the web server.

`queue` is the only module that touches Django-Q2. `runner` claims a job, keeps its heartbeat
and runs it; `sweep` finds jobs whose worker died and resumes or fails them; `orders` stores
the rendered orders of a plan version as files.
"""
