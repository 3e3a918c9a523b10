"""The PixVerse view in the Airflow UI (Airflow 3.1+): a page of the videos this provider's tasks made, a tab on
each task instance that plays its video, and a credits panel.

Registered through the provider (``get_provider_info()["plugins"]``) and the ``airflow.plugins`` entry point, so
installing the package is all a user does; ``[pixverse] ui_enabled = False`` turns it off. Every route sits
behind Airflow's auth manager. The view reads only what the tasks already record (XComs, rendered fields, task
instances) through Airflow's own models: it adds no store of its own.
"""
