#!/usr/bin/env python3
"""The folder layering of src/, checked on every #include (the `layering` CTest).

Each folder may include its own headers, the public API (smartchurn/...) and the folders listed
for it below; the listed graph must have no cycle. Third-party libraries that one folder wraps
are included there only, so swapping one touches one folder. The front ends (cli, server) are
also held to this by the build: their include roots hold only their own folders.
"""
import os
import re
import sys

# folder -> the folders it may include (lower layers). Keep in step with docs/architecture.md.
ALLOWED = {
    "util": set(),
    "data": {"util"},
    "features": {"util", "data"},
    "models": {"util"},
    "prep": {"util", "data", "features"},
    "eval": {"util"},
    "demo": {"util"},
    "bundle": {"util"},
    "store": {"util"},
    "engine": {"util", "data", "features", "models", "prep"},
    "explain": {"util", "data", "engine", "models"},
    "export": {"util", "features", "models", "engine"},
    "train": {"util", "data", "features", "models", "prep", "eval", "engine", "explain"},
    "server": set(),  # the public API only
    "cli": {"server"},
}

# A library's headers, and the only folder (prefix of the path under src/) that includes them.
WRAPPED = {
    "xgboost/": "models/xgboost",
    "boost/": "server",
    "CLI/": "cli",
    "SQLiteCpp/": "store",
    "sqlite3.h": "store",
    "zlib.h": "data",
    "openssl/": "util",
}

INCLUDE = re.compile(r'#include\s+([<"])([^>"]+)[>"]')


def find_cycle(graph):
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path + [node, nxt]
            if nxt not in state:
                found = visit(nxt, path + [node])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def main(src):
    problems = []
    cycle = find_cycle(ALLOWED)
    if cycle:
        problems.append("the allowed layers have a cycle: " + " -> ".join(cycle))
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".cc", ".h")):
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, src)
            folder = relative.split(os.sep)[0]
            if folder not in ALLOWED:
                problems.append(f"{relative}: folder '{folder}' has no layer in {__file__}")
                continue
            with open(path, encoding="utf-8") as text:
                for number, line in enumerate(text, 1):
                    match = INCLUDE.match(line.strip())
                    if not match:
                        continue
                    quote, target = match.groups()
                    if quote == '"':
                        head = target.split("/")[0]
                        if "/" not in target or head in ("smartchurn", folder):
                            continue
                        if head not in ALLOWED[folder]:
                            problems.append(
                                f"{relative}:{number}: {folder}/ may not include {target} "
                                f"(allowed: {', '.join(sorted(ALLOWED[folder])) or 'the public API only'})")
                    else:
                        for prefix, owner in WRAPPED.items():
                            if target.startswith(prefix) and not relative.startswith(owner + os.sep):
                                problems.append(
                                    f"{relative}:{number}: <{target}> is included only under src/{owner}/")
    for problem in problems:
        print(problem)
    print(f"layering: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "src")))
