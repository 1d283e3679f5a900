#!/usr/bin/env python3
"""Writes a bash completion for a wordcrawl program from its --help text.

    completion.py PROGRAM NAME OUT

PROGRAM is the built binary, NAME the command it is installed as (wordcrawl-server). Generated
at build time, so that the completion offers exactly the options the binary has."""
import re
import subprocess
import sys

# An option line of CLI11's help: "  -w,--workers UINT:UINT in [1 - 1024]=8   Worker threads".
OPTION = re.compile(r"^  (?:-\w,)?(--[a-z0-9-]+)((?:,!?--[a-z0-9-]+)*)(\{[^}]*\})?(?: (\S+))?")
CHOICES = re.compile(r":\{([^}]*)\}")


def options_of(help_text):
    """(names, kind, choices) per option: kind is flag, file or value."""
    found = []
    for line in help_text.splitlines():
        match = OPTION.match(line)
        if not match:
            continue
        names = [match.group(1)]
        names += [n.lstrip("!") for n in match.group(2).split(",") if n]
        short = re.match(r"^  (-\w),", line)
        if short:
            names.append(short.group(1))
        value = match.group(4) or ""
        if not value or value.startswith("Needs:") or not re.match(r"^[A-Z]", value):
            kind = "flag"
        elif "FILE" in value:
            kind = "file"
        else:
            kind = "value"
        choices = CHOICES.search(value)
        found.append((names, kind, choices.group(1).split(",") if choices else []))
    return found


def positional_files(help_text):
    """True if a positional argument is a file (the client's URL file)."""
    section = help_text.split("Positionals:", 1)
    return len(section) == 2 and ":FILE" in section[1].split("Options:", 1)[0]


def script(name, help_text):
    function = "_" + re.sub(r"[^A-Za-z0-9]", "_", name)
    options = options_of(help_text)
    every = sorted({n for names, _, _ in options for n in names if n.startswith("--")})
    cases = []
    for names, kind, choices in options:
        pattern = "|".join(names)
        if choices:
            cases.append(f"    {pattern}) COMPREPLY=($(compgen -W '{' '.join(choices)}' -- \"$cur\")); return ;;")
        elif kind == "file":
            cases.append(f"    {pattern}) compopt -o filenames; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;")
        elif kind == "value":
            cases.append(f"    {pattern}) return ;;")
    rest = ('compopt -o filenames; COMPREPLY=($(compgen -f -- "$cur"))'
            if positional_files(help_text) else "COMPREPLY=()")
    return "\n".join([
        f"# bash completion for {name}, generated from its --help.",
        f"{function}() {{",
        '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}',
        '  case $prev in',
        *cases,
        '  esac',
        '  if [[ $cur == -* ]]; then',
        f"    COMPREPLY=($(compgen -W '{' '.join(every)}' -- \"$cur\"))",
        '    return',
        '  fi',
        f"  {rest}",
        "}",
        f"complete -F {function} {name}",
        "",
    ])


def main():
    program, name, out = sys.argv[1:]
    help_text = subprocess.run([program, "--help"], check=True, capture_output=True,
                               text=True).stdout
    with open(out, "w", encoding="utf-8") as file:
        file.write(script(name, help_text))


if __name__ == "__main__":
    main()
