#!/usr/bin/env python3
"""Fails when the top-level modules of a crate depend on each other in a cycle.

The crates are the layers and Cargo forbids cycles between them; inside a crate nothing does,
so this reads every `crate::<module>` path (in `use`, in code, in tests) of each top-level
module (a folder or a file under src/) and looks for a cycle among them. A module's own
sub-modules and re-exports of the crate root are not counted as dependencies.

Run from the repository root: python3 scripts/check_module_cycles.py
"""
import pathlib
import re
import sys

ROOTS = [pathlib.Path("src"), *sorted(pathlib.Path("crates").glob("*/src"))]
PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)\b")
GROUP = re.compile(r"\bcrate::\{([^}]*)\}")


def modules(src: pathlib.Path) -> dict[str, list[pathlib.Path]]:
    out: dict[str, list[pathlib.Path]] = {}
    for entry in src.iterdir():
        if entry.is_dir():
            out[entry.name] = sorted(entry.rglob("*.rs"))
        elif entry.suffix == ".rs" and entry.stem not in ("lib", "main"):
            out[entry.stem] = [entry]
    return out


def edges(src: pathlib.Path) -> dict[str, set[str]]:
    mods = modules(src)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, files in mods.items():
        for f in files:
            text = f.read_text(encoding="utf-8")
            found = set(PATH.findall(text))
            for group in GROUP.findall(text):
                found.update(p.strip().split("::")[0] for p in group.split(","))
            graph[name].update(m for m in found if m in mods and m != name)
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def main() -> int:
    bad = 0
    for src in ROOTS:
        found = cycle(edges(src))
        if found:
            print(f"{src}: module cycle: {' -> '.join(found)}")
            bad += 1
    if not bad:
        print(f"no module cycles in {len(ROOTS)} crates")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
