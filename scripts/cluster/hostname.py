"""``[core] hostname_callable`` of the cluster: the machine's name plus the component's (``host-worker-1``).

On one machine every component has the same host name, so Airflow's records could not tell the two workers
or the two triggerers apart. With this callable a task instance's ``hostname`` names the Celery worker that
ran it and a triggerer's job row names the triggerer, as they would on separate machines. The component's
name comes from ``PIXVERSE_CLUSTER_COMPONENT``, which ``Cluster`` sets for each process it starts (the task
processes a worker forks inherit it).
"""

from __future__ import annotations

import os
import socket

COMPONENT_VARIABLE = "PIXVERSE_CLUSTER_COMPONENT"


def component_hostname() -> str:
    component = os.environ.get(COMPONENT_VARIABLE)
    host = socket.getfqdn()
    return f"{host}-{component}" if component else host
