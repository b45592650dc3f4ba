#!/usr/bin/env python3
"""Writes a program's manual page from its own --help, so that the page says what --help says,
plus the hand-written sections of an include file.

    help_to_man.py PROGRAM VERSION INCLUDE OUTPUT

The usage lines ("Usage: ..." and the lines under it that name the program) become the
SYNOPSIS; the rest of --help becomes the DESCRIPTION, a line alone ending in ':' a sub-heading,
plain paragraphs filled, indented blocks (option and command lists) kept line for line as --help
lays them out. INCLUDE, in help2man's include format, holds "[SECTION]" headings, each followed
by *roff text: [NAME] gives the one-line description, [DESCRIPTION] follows the first paragraph of
--help, the others follow DESCRIPTION in their order. SOURCE_DATE_EPOCH, when set, dates the page.
"""
import os
import re
import subprocess
import sys
import time


def roff(text):
    """Plain text as *roff: backslashes, hyphens of options, and control characters at a line start."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def sections(path):
    result, name = [], None
    with open(path, encoding="utf-8") as include:
        for line in include.read().splitlines():
            heading = re.fullmatch(r"\[([A-Z][A-Z ]*)\]", line.strip())
            if heading:
                name = heading.group(1)
                result.append((name, []))
            elif name is not None:
                result[-1][1].append(line)
    return [(n, "\n".join(body).strip()) for n, body in result]


def page(program, version, help_text, included):
    name = os.path.basename(program)
    lines = help_text.rstrip("\n").splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"(?i)usage:", line)), None)
    if start is None:
        sys.exit(f"help_to_man.py: {name} --help has no 'Usage:' line")
    synopsis = []
    while start < len(lines) and (not synopsis or
                                  re.match(r"\s+\S*" + re.escape(name) + r"\b", lines[start])):
        usage = re.sub(r"(?i)^usage:\s*", "", lines.pop(start)).strip()
        synopsis.append(re.sub(r"^\S*/" + re.escape(name) + r"\b", name, usage))
    extra = dict(included)
    date = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time())))
    out = [f'.TH {name.upper()} 1 "{time.strftime("%B %Y", date)}" '
           f'"{name} {version}" "User Commands"',
           ".SH NAME", extra.pop("NAME", f"{name} \\- {name}"), ".SH SYNOPSIS"]
    for usage in synopsis:
        program_word, _, rest = usage.partition(" ")
        out += [f".B {roff(program_word)}", roff(rest), ".br"]
    out += [".SH DESCRIPTION"]
    paragraph = []

    def flush():
        if not paragraph:
            return
        if any(line[:1].isspace() for line in paragraph):
            out.extend([".PP", ".nf"] + [roff(line) for line in paragraph] + [".fi"])
        else:
            out.extend([".PP"] + [roff(line) for line in paragraph])
        paragraph.clear()
        if "DESCRIPTION" in extra:  # after --help's first paragraph, what the program is for
            out.extend([".PP", extra.pop("DESCRIPTION")])

    for line in lines:
        if not line.strip():
            flush()
        elif re.fullmatch(r"[A-Z][^:]*:", line):
            flush()
            out += [f".SS {roff(line[:-1])}"]
        else:
            paragraph.append(line)
    flush()
    for title, body in included:
        if title in extra:
            out += [f".SH {title}", body]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    program, version, include, output = sys.argv[1:]
    help_text = subprocess.run([program, "--help"], check=True, capture_output=True,
                               text=True).stdout
    with open(output, "w", encoding="utf-8") as out:
        out.write(page(program, version, help_text, sections(include)))


if __name__ == "__main__":
    main()
