#!/usr/bin/env bash
# make-venv.sh PYTHON DIR AIRFLOW_VERSION [EXTRAS]: a virtualenv with this provider (editable, with EXTRAS,
# default test,docs) and the given Apache Airflow. uv resolves and installs in seconds where pip takes minutes.
set -euo pipefail
python=$1 dir=$2 airflow=$3 extras=${4:-test,docs}
"$python" -m venv "$dir"
"$dir/bin/pip" install --quiet --disable-pip-version-check uv
"$dir/bin/uv" pip install --quiet --python "$dir/bin/python" -e ".[$extras]" "apache-airflow==$airflow"
touch "$dir/bin/.installed"
