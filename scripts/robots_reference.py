#!/usr/bin/python3
"""Independent reference for wordcrawl's robots.txt matcher, for differential checks.

Usage: robots_reference.py FILE

FILE holds JSON lines {"robots": "...", "agent": "...", "paths": ["/a", ...]}. Prints one line
per case: one '0' (disallowed) or '1' (allowed) per path, in order. Decisions come from protego
(Debian's python3-protego), which shares no code with the C++ parser. protego deviates from
RFC 9309 in known ways (substring user-agent matching, paths and rules sent through urlparse,
query left as written, '$' also taken literally, no byte order mark handling, ...); the test
(RobotsRulesDifferential.AgreesWithProtego in tests/robots_rules_test.cpp) names each of them
and requires every disagreement to be one of them.
"""

import json
import sys

from protego import Protego


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as cases:
        for line in cases:
            if not line.strip():
                continue
            case = json.loads(line)
            parser = Protego.parse(case["robots"])
            print("".join("1" if parser.can_fetch(path, case["agent"]) else "0"
                          for path in case["paths"]))


if __name__ == "__main__":
    main()
