"""The docstring examples of every module in flows/ hold (they document the rules)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import flows

MODULES = sorted(m.name for m in pkgutil.iter_modules(flows.__path__) if m.name != "__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(f"flows.{name}")
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
