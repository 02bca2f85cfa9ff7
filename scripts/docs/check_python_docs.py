"""Every public name of the Python package carries a docstring.

Walks `kopokopo.__all__` (and the public modules' `__all__`), and for classes
every public method, property and annotated field; fields are documented by
the attribute docstring that follows them in the source (what pdoc shows), so
they are checked in the source text. Run by scripts/docs.sh.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import sys

MODULES = ["kopokopo", "kopokopo.receiving", "kopokopo.fastapi", "kopokopo.flask"]


def field_docs(cls: type) -> set[str]:
    """Annotated fields of `cls` followed by a string literal in its source."""
    try:
        src = inspect.getsource(cls)
    except (OSError, TypeError):
        return set()
    tree = ast.parse(src.lstrip() if src.startswith((" ", "\t")) else src)
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    out = set()
    for a, b in zip(body, body[1:]):
        if isinstance(a, ast.AnnAssign) and isinstance(a.target, ast.Name):
            if isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str):
                out.add(a.target.id)
    return out


def main() -> int:
    missing: list[str] = []
    checked = 0
    for modname in MODULES:
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj)):
                continue
            checked += 1
            if not (obj.__doc__ or "").strip():
                missing.append(f"{modname}.{name}")
            if not inspect.isclass(obj):
                continue
            documented = field_docs(obj)
            for base in obj.__mro__[1:]:
                if base.__module__.startswith("kopokopo"):
                    documented |= field_docs(base)
            for fname in getattr(obj, "__annotations__", {}):
                if fname.startswith("_"):
                    continue
                checked += 1
                if fname not in documented:
                    missing.append(f"{modname}.{name}.{fname} (field)")
            for mname, member in vars(obj).items():
                if mname.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
                    continue
                checked += 1
                if not (getattr(member, "__doc__", None) or "").strip():
                    missing.append(f"{modname}.{name}.{mname}")
    for m in missing:
        print(f"undocumented: {m}", file=sys.stderr)
    print(f"python docs: {checked} public names, {len(missing)} undocumented")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
