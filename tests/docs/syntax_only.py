#!/usr/bin/env python3
"""Compiler launcher for the docs fragments: runs the compile command CMake wrote with -fsyntax-only added, so that the
fragments are parsed, instantiated and checked with every warning, but no code is generated (which is most of their
compile time, and nothing links them). The object file the build expects is left empty."""

import pathlib
import subprocess
import sys

command = sys.argv[1:]
status = subprocess.call(command + ["-fsyntax-only"])
if status == 0:
    pathlib.Path(command[command.index("-o") + 1]).write_bytes(b"")
sys.exit(status)
