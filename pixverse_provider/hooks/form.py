"""The ``pixverse`` connection form in the shapes older Airflow versions ask the hook for.

Airflow 3.2+ draws the form from the provider info (``conn-fields``, ``ui-field-behaviour``) without importing
the hook. Airflow 3.1 asks the hook instead (``get_connection_form_widgets``, ``get_ui_field_behaviour``); both
answers are built here from that same provider info, so the form is declared once.
"""

from __future__ import annotations

from typing import Any

from pixverse_provider.get_provider_info import connection_form


def field_behaviour() -> dict[str, Any]:
    """``ui-field-behaviour`` with the snake_case keys ``get_ui_field_behaviour`` returns."""
    behaviour = connection_form()["ui-field-behaviour"]
    return {
        "hidden_fields": behaviour["hidden-fields"],
        "relabeling": behaviour["relabeling"],
        "placeholders": behaviour["placeholders"],
    }


def form_widgets() -> dict[str, Any]:
    """``conn-fields`` as the WTForms fields ``get_connection_form_widgets`` returns (Airflow 3.1).

    Airflow 3.1 accepts only string, integer, password and boolean fields; a number with decimals is a string
    field, which the connection settings read as a number. wtforms is imported here, when Airflow asks: Airflow
    3.1 substitutes its own stand-ins when wtforms is not installed.
    """
    from wtforms import BooleanField, IntegerField, StringField
    from wtforms.validators import Optional

    classes = {"boolean": BooleanField, "integer": IntegerField}
    widgets = {}
    for name, field in connection_form()["conn-fields"].items():
        schema = field["schema"]
        json_type = next(t for t in schema["type"] if t != "null")
        field_class = classes.get(json_type, StringField)
        default = schema.get("default")
        if field_class is StringField and default is not None:
            default = str(default)
        widgets[name] = field_class(
            field["label"], validators=[Optional()], description=field["description"], default=default
        )
    return widgets
