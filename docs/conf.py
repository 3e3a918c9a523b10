"""Sphinx configuration of the airflow-provider-pixverse documentation.

Build (warnings are errors; works offline)::

    .venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html

autodoc imports the provider, and with it Airflow, so ``AIRFLOW_HOME`` must not be a user's real one: when
it is not set, a temporary directory is used (and removed at exit).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

if "AIRFLOW_HOME" not in os.environ:
    _home = tempfile.mkdtemp(prefix="pixverse-docs-airflow-home-")
    atexit.register(shutil.rmtree, _home, True)
    os.environ["AIRFLOW_HOME"] = _home
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))

import pixverse_provider  # noqa: E402

project = "airflow-provider-pixverse"
author = "airflow-provider-pixverse developers"
copyright = "airflow-provider-pixverse developers"
version = release = pixverse_provider.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "pixverse_docs",  # docs/_ext: tables generated from the code (errors, prices, rules, flags, parameters)
    "pixverse_refs",  # docs/_ext: the provider's own names resolved however spelled; no public name undocumented
    "pixverse_retry_docs",  # docs/_ext: the retry policy's rule table, made from its code
]

root_doc = "index"
exclude_patterns = ["_build"]
templates_path: list[str] = []
# Every cross-reference must resolve: a dead link is a warning, so an error under -W (make docs).
nitpicky = True
# Names this site cannot link: the build is offline (no intersphinx), so the standard library's, Airflow's,
# pydantic's and requests' names have no target here. Signatures spell some of them unqualified: Airflow's
# from annotations imported under TYPE_CHECKING (Context, Connection, ...), pydantic's from Annotated metadata
# (Ge, Le, Strict, FieldInfo). The provider's own names are never ignored (docs/_ext/pixverse_refs.py).
nitpick_ignore_regex = [
    ("py:.*", r"(collections\.abc|typing|types|enum|os|io|pathlib|datetime|requests|httpx|pydantic|airflow)\..+"),
    ("py:class", r"Context|Connection|BaseOperator|TaskInstanceKey|PokeReturnValue|TriggerEvent|FieldInfo|Ge|Le|NoneType|datetime"),
]
default_role = "literal"

# autodoc: the docstrings are reStructuredText with ``:param:`` fields; napoleon also reads Google style.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = False
autodoc_class_signature = "mixed"
autodoc_default_options = {"show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

html_theme = "furo"
html_title = f"airflow-provider-pixverse {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
smartquotes_action = "qe"

# Numbers the pages quote from the code, so the prose cannot drift from it.
from pixverse_provider.operators.slots import MIN_DEFERRED_WAIT  # noqa: E402

rst_prolog = f"""
.. |MIN_DEFERRED_WAIT| replace:: {MIN_DEFERRED_WAIT:g} s (``concurrency.MIN_DEFERRED_WAIT``)
"""  # keep "--" of command-line flags in generated tables
