"""Each operator class says what it takes, in its own source.

- ``template_fields`` names exactly the parameters that are templated by design: every parameter of a mode
  operator and of an upload operator, plus the base's connection, output and task settings. The base's
  switches (``NOT_TEMPLATED``) decide when the DAG is parsed how the task runs, so they are not templated.
- Every parameter of every public operator has a ``:param:`` line in the class's own docstring: ``help()``,
  IDE hovers and the parameter tables of the docs all read it there.
- Every parameter of an operator's ``__init__`` is used by it (assigned to ``self`` or handed on), so no
  argument is accepted and silently dropped.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from pixverse_provider import operators

OPERATORS_DIR = Path(operators.__file__).parent
PUBLIC = [getattr(operators, name) for name in operators.__all__]
NOT_TEMPLATED = {"wait_for_completion", "deferrable", "check_balance", "on_concurrency_limit", "durable"}


def named_parameters(cls: type) -> set[str]:
    """The keyword parameters of ``cls.__init__`` itself (not ``self``, not ``**kwargs``)."""
    if "__init__" not in vars(cls):
        return set()
    return {p.name for p in inspect.signature(cls.__init__).parameters.values() if p.kind == p.KEYWORD_ONLY}


def provider_classes(cls: type) -> list[type]:
    """``cls`` and the provider's own classes it derives from."""
    return [klass for klass in cls.__mro__ if klass.__module__.startswith("pixverse_provider")]


def documented(cls: type) -> set[str]:
    return set(re.findall(r"^:param (\w+):", inspect.cleandoc(cls.__doc__ or ""), re.M))


@pytest.mark.parametrize("operator", PUBLIC, ids=lambda cls: cls.__name__)
def test_template_fields_are_the_parameters_templated_by_design(operator: type) -> None:
    parameters = set().union(*(named_parameters(klass) for klass in provider_classes(operator)))
    assert set(operator.template_fields) == parameters - NOT_TEMPLATED
    assert len(set(operator.template_fields)) == len(operator.template_fields), "a template field is named twice"


@pytest.mark.parametrize("operator", PUBLIC, ids=lambda cls: cls.__name__)
def test_every_parameter_has_a_param_line_in_its_class_docstring(operator: type) -> None:
    """A private base's parameters (the upload operators' connection) are documented on each public class; the
    public base documents its own, once."""
    own = [operator, *(klass for klass in provider_classes(operator) if klass.__name__.startswith("_"))]
    assert documented(operator) == set().union(*(named_parameters(klass) for klass in own))


def init_functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(OPERATORS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                found += [
                    (f"{path.name}:{node.name}", item)
                    for item in node.body
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__"
                ]
    return found


def test_the_operator_modules_are_found() -> None:
    assert {where.split(":")[1] for where, _ in init_functions()} >= set(operators.__all__)


@pytest.mark.parametrize(("where", "init"), init_functions(), ids=[where for where, _ in init_functions()])
def test_every_init_parameter_is_used(where: str, init: ast.FunctionDef) -> None:
    read = {node.id for node in ast.walk(init) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    parameters = [arg.arg for arg in (*init.args.kwonlyargs, *init.args.args[1:])]
    if init.args.kwarg:
        parameters.append(init.args.kwarg.arg)
    assert [name for name in parameters if name not in read] == []
