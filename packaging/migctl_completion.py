#!/usr/bin/env python3
"""Writes bash completion for migctl from its own usage text (`migctl --help`), so that the
completion knows exactly the commands and options migctl documents.

    migctl_completion.py MIGCTL OUTPUT

What it reads from the usage text:
  "  COMMAND [VERB|VERB] ... --option VALUE ..."  a command line (two spaces, a lower-case word),
                                                   continued on lines indented deeper
  "Usage: migctl [--db URL] ..." and "migctl --help | --version"   the global options
  "FILTER (...):" and the lines under it           the options a FILTER stands for
  "--option WORD" with WORD in upper case          an option that takes a value
  "(trace, debug, ...)" after "level"              the log levels
"""
import re
import subprocess
import sys

OPTION = re.compile(r"--[a-z][a-z-]*")
VALUE_OPTION = re.compile(r"(--[a-z][a-z-]*)[ =]([A-Z][A-Z_:]*)\b")


def parse(text):
    commands = {}          # command -> {verb or "": set of options}
    order = []             # commands in the order of the usage text
    globals_ = set()
    filter_options = set()
    value_options = {}     # option -> value name
    section = None
    current = None         # (command, verbs) the last command line named
    for line in text.splitlines():
        for option, value in VALUE_OPTION.findall(line):
            value_options.setdefault(option, value)
        if line.startswith("Usage:") or re.match(r"\s+migctl\s", line):
            globals_.update(OPTION.findall(line))
            section = "usage"
            continue
        if re.match(r"FILTER\b.*:$", line):
            section = "filter"
            continue
        if line and not line[0].isspace():
            section = None
        if section == "filter":
            filter_options.update(OPTION.findall(line))
            continue
        if section != "usage":
            continue
        match = re.match(r"  ([a-z][a-z-]*)(?: ([a-z][a-z|-]*)(?=\s|$))?(.*)", line)
        if match:
            command, verbs, rest = match.groups()
            verbs = verbs.split("|") if verbs else [""]
            if command not in commands:
                commands[command] = {}
                order.append(command)
            current = (command, verbs, line)
        elif current and re.match(r"\s{4,}\S", line):
            command, verbs, first = current
            current = (command, verbs, first + " " + line)
        else:
            continue
        command, verbs, whole = current
        options = set(OPTION.findall(whole))
        if "FILTER" in whole:
            options.add("FILTER")
        for verb in verbs:
            commands[command].setdefault(verb, set()).update(options)
    for verbs in commands.values():
        for verb, options in verbs.items():
            if "FILTER" in options:
                options.discard("FILTER")
                options.update(filter_options)
    levels = re.search(r"level[^(]*\(((?:[a-z]+, )+[a-z]+)", text)
    levels = levels.group(1).split(", ") if levels else []
    if not commands or not globals_:
        sys.exit("migctl_completion.py: no commands or global options found in the usage text")
    return order, commands, sorted(globals_), value_options, levels


def words(items):
    return " ".join(sorted(items))


def script(order, commands, globals_, value_options, levels):
    out = []
    emit = out.append
    emit("# bash completion for migctl -*- shell-script -*-")
    emit("# Generated at build time from `migctl --help` by packaging/migctl_completion.py.")
    emit("")
    emit("_migctl()")
    emit("{")
    emit('    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}')
    emit("    COMPREPLY=()")
    emit('    case $prev in')
    file_options = [o for o, v in value_options.items() if v == "FILE"]
    if file_options:
        emit(f'        {"|".join(sorted(file_options))})')
        emit('            compopt -o filenames 2>/dev/null')
        emit('            COMPREPLY=($(compgen -f -- "$cur"))')
        emit("            return ;;")
    if "--log-level" in value_options and levels:
        emit("        --log-level)")
        emit(f'            COMPREPLY=($(compgen -W "{" ".join(levels)}" -- "$cur"))')
        emit("            return ;;")
    others = sorted(o for o in value_options if o not in file_options and o != "--log-level")
    if others:
        emit(f'        {"|".join(others)})')
        emit("            return ;;")
    emit("    esac")
    emit("")
    emit("    # The command and its verb: the first words that are neither options nor their values.")
    emit("    local i command= verb=")
    emit("    for ((i = 1; i < COMP_CWORD; i++)); do")
    emit("        case ${COMP_WORDS[i]} in")
    emit(f'            {"|".join(sorted(value_options))}) ((i++)) ;;')
    emit("            -*) ;;")
    emit('            *) if [[ -z $command ]]; then command=${COMP_WORDS[i]};')
    emit('               elif [[ -z $verb ]]; then verb=${COMP_WORDS[i]}; fi ;;')
    emit("        esac")
    emit("    done")
    emit("")
    emit(f'    local options="{" ".join(globals_)}" verbs=')
    emit('    case $command in')
    emit('        "")')
    emit('            if [[ $cur != -* ]]; then')
    emit(f'                COMPREPLY=($(compgen -W "{" ".join(order)}" -- "$cur"))')
    emit("                return")
    emit("            fi ;;")
    for command in order:
        verbs = commands[command]
        named = [v for v in verbs if v]
        emit(f"        {command})")
        if named:
            emit(f'            verbs="{" ".join(named)}"')
            emit("            case $verb in")
            for verb in named:
                emit(f'                {verb}) options+=" {words(verbs[verb])}" ;;')
            emit("            esac ;;")
        else:
            emit(f'            options+=" {words(verbs[""])}" ;;')
    emit("    esac")
    emit('    if [[ -n $verbs && -z $verb && $cur != -* ]]; then')
    emit('        COMPREPLY=($(compgen -W "$verbs" -- "$cur"))')
    emit("    elif [[ $cur == -* || -z $verbs || -n $verb ]]; then")
    emit('        COMPREPLY=($(compgen -W "$options" -- "$cur"))')
    emit("    fi")
    emit("}")
    emit("complete -F _migctl migctl")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    text = subprocess.run([sys.argv[1], "--help"], check=True, capture_output=True,
                          text=True).stdout
    with open(sys.argv[2], "w", encoding="utf-8") as output:
        output.write(script(*parse(text)))


if __name__ == "__main__":
    main()
