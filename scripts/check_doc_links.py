#!/usr/bin/env python3
"""Check that documentation references resolve inside the repository.

1. Relative links in Markdown files (`[text](path#anchor)`) point to existing files, and the
   anchor to an existing heading (GitHub's anchor rules).
2. Citations in code, kb/ and docs (`docs/x.md §N.M`, `docs/x.md#anchor`) name an existing
   file and a numbered heading ("## N." / "### N.M") of it.
3. Bare `§N` in a code file that cites exactly one doc resolve in that doc.
4. Nothing cites the old references outside the repository (`reference/…`, `zvt.md` without
   `docs/protocols/`, "field guide §", "reference §").

Usage: scripts/check_doc_links.py   (from anywhere; exits 1 and lists problems if any)
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ["src", "crates", "tests", "benches", "fuzz", "scripts", "kb", "profiles", "docs"]
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SECTION = re.compile(r"^(\d+(?:\.\d+)*)\.?(?:\s|$)")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CITE = re.compile(r"(docs/[\w./-]+\.md)(#[\w-]+)?")
SECTS = re.compile(r"§\s?(\d+(?:\.\d+)*)")
OUTSIDE = re.compile(
    r"reference/|/work/shared|(?<![\w/.-])(?:zvt|escpos|iso8583-cup|field-guide|tui-style)\.md"
    r"|field[- ]guide §|\breference §"
)
SPEC_SECTION = re.compile(r"PA00P01\d\s*§")


def anchor(title):
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    title = re.sub(r"`|\*\*|\*", "", title).strip().lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title))


def headings(path, cache={}):
    if path not in cache:
        anchors, sections = set(), set()
        in_fence = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                in_fence = not in_fence
            m = None if in_fence else HEADING.match(line)
            if m:
                base, n = anchor(m.group(2)), 1
                a = base
                while a in anchors:
                    a, n = f"{base}-{n}", n + 1
                anchors.add(a)
                s = SECTION.match(m.group(2))
                if s:
                    sections.add(s.group(1))
        cache[path] = (anchors, sections)
    return cache[path]


def check_target(path, frag, sects, where, problems):
    if not path.is_file():
        problems.append(f"{where}: {path.relative_to(ROOT)} does not exist")
        return
    if path.suffix != ".md":
        return
    anchors, sections = headings(path)
    if frag and frag not in anchors:
        problems.append(f"{where}: no heading #{frag} in {path.relative_to(ROOT)}")
    for s in sects:
        if s not in sections:
            problems.append(f"{where}: no section §{s} in {path.relative_to(ROOT)}")


def tracked_files():
    out = subprocess.run(
        ["git", "ls-files", *CODE_DIRS], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / f for f in out.splitlines() if (ROOT / f).is_file()]


def joined_lines(text):
    """Lines with a comment's continuation appended, so `docs/x.md` + next line `//! §2` join."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        m = re.match(r"\s*(?://[/!]?|#)\s?(§.*)", nxt)
        yield i + 1, line + (" " + m.group(1) if m else "")


def main():
    problems = []
    for f in tracked_files():
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        rel = f.relative_to(ROOT)
        if rel.as_posix() == "scripts/check_doc_links.py":
            continue
        if f.suffix == ".md":
            for n, line in enumerate(text.splitlines(), 1):
                for target in LINK.findall(line):
                    if re.match(r"[a-z]+:", target) or target.startswith("<"):
                        continue
                    path, _, frag = target.partition("#")
                    dest = (f.parent / path).resolve() if path else f
                    check_target(dest, frag, [], f"{rel}:{n}", problems)
        cited = set()
        for n, line in joined_lines(text):
            if OUTSIDE.search(line):
                problems.append(f"{rel}:{n}: cites a file outside the repository: {line.strip()}")
            for m in CITE.finditer(line):
                rest = line[m.end() :].lstrip("`")
                stop = re.search(r"docs/|\"|`", rest)
                tail = rest[: stop.start()] if stop else rest
                cited.add(m.group(1))
                frag = (m.group(2) or "")[1:]
                check_target(ROOT / m.group(1), frag, SECTS.findall(tail), f"{rel}:{n}", problems)
        if len(cited) == 1 and f.suffix != ".md" and "§" in text:
            doc = ROOT / cited.pop()
            for n, line in joined_lines(text):
                if CITE.search(line):
                    continue
                sects = SECTS.findall(SPEC_SECTION.sub("", line))
                if sects:
                    check_target(doc, "", sects, f"{rel}:{n} (bare §)", problems)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
