#!/usr/bin/env python3
"""Turns every ```cpp block of paged's Markdown files into C++ that the build compiles, so that the docs cannot rot.

The convention, for whoever writes a block:

* A C++ block is fenced with ```cpp (or ~~~cpp, ````cpp, ```c++; words after the language are allowed). Other
  labels for C++ (C++, cxx, cc, hpp) are refused with an error: the block would otherwise go unchecked. A line that
  opens a cpp block inside another block (a ````md block showing one) is refused too.

* A block that defines `int main()` is a program. Programs are compiled and linked; a program that needs no network
  can be marked to run, and the test docs.programs runs it and fails when it returns non-zero or throws. A program
  is compiled inside a namespace of its own beside the others, so its `main` needs an explicit `return`.
* Any other block is a fragment: compiled, never run. A fragment written at namespace scope (declarations, functions)
  needs nothing more. A fragment that uses names it does not show, or that is a run of statements, says so on the
  line right before its fence, in an HTML comment that Markdown does not display:

      <!-- snippet: context=http wrap=coroutine -->

  context=NAME   includes tests/docs/context/NAME.hpp first: the names the block uses without declaring them (a
                 client, a record type), in namespace paged_docs::NAME.
  wrap=function  the block is statements: it becomes the body of a void function.
  wrap=coroutine the same, in a paged::task<void> coroutine (for blocks that co_await).
  run            (programs only) docs.programs runs it.

Each block keeps its own namespace, named after its file and line, and its lines are mapped back with #line: a block
that does not compile fails the build with an error at README.md:LINE (or docs/x.md:LINE) itself. Its #include lines
are hoisted out of the namespace. A block that needs paged::http or paged::redis (it names them) is left out of a
build that does not have them.

Output, in --out-dir: one <file id>.fragments.cpp per Markdown file (the id is the file's path relative to --root
with every character outside [A-Za-z0-9_] turned into '_', as CMake's MAKE_C_IDENTIFIER does) and one programs.cpp
whose main() runs the programs marked run.
"""

import argparse
import pathlib
import re
import sys

# Any line that starts with 3 or more backticks or tildes opens a block, whatever follows (```cpp title="x", ~~~cpp,
# ````md around a block that shows ```); the first word after it is the language. A backtick fence cannot have a
# backtick after it (CommonMark): such a line is inline code, not a fence.
FENCE = re.compile(r"^(?P<indent>\s*)(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
CPP_LANGUAGES = {"cpp", "c++"}
# Labels a writer may use for C++ that the build does not take: an error, rather than a block silently not compiled.
CPP_LOOKING = re.compile(r"^(c\+\+|cpp|cxx|cc|hpp|hxx|h\+\+)", re.IGNORECASE)
# Counted on the raw text, independently of the parse, to catch a block the parse took for something else.
CPP_OPENING = re.compile(r"^\s*(`{3,}|~{3,})\s*(cpp|c\+\+)(\s|$)")
DIRECTIVE = re.compile(r"^\s*<!--\s*snippet:(?P<options>.*?)-->\s*$")
MAIN = re.compile(r"^\s*int\s+main\s*\(\s*\)")
ANY_MAIN = re.compile(r"\bint\s+main\s*\(")
INCLUDE = re.compile(r"^\s*#\s*include\b")
WRAPS = {"function", "coroutine"}
COMPONENT_PATTERNS = {
    "redis": re.compile(r"paged::redis|paged/redis"),
    "http": re.compile(r"paged::http|paged/http|paged::testing|paged/testing|nlohmann"),
}


# A fragment shows how to build something and stops there: its locals are unused by design.
FRAGMENT_PROLOGUE = ['#pragma GCC diagnostic ignored "-Wunused-variable"',
                     '#pragma GCC diagnostic ignored "-Wunused-but-set-variable"', ""]


class SnippetError(Exception):
    def __init__(self, where, message):
        super().__init__(f"{where}: error: {message}")


class Block:
    def __init__(self, md_path, relative, first_line, lines, options, where):
        self.md_path = md_path
        self.relative = relative
        self.first_line = first_line  # 1-based line of the block's first code line
        self.lines = lines
        self.context = options.get("context")
        self.wrap = options.get("wrap")
        self.runs = "run" in options
        self.is_program = any(ANY_MAIN.search(line) for line in lines)
        self.validate(options, where)

    def validate(self, options, where):
        unknown = set(options) - {"context", "wrap", "run"}
        if unknown:
            raise SnippetError(where, f"unknown snippet option(s) {sorted(unknown)}: context=NAME, wrap=function|"
                                      "coroutine, run")
        if self.wrap is not None and self.wrap not in WRAPS:
            raise SnippetError(where, f"wrap={self.wrap}: use wrap=function or wrap=coroutine")
        if self.runs and not any(MAIN.search(line) for line in self.lines):
            raise SnippetError(where, "run needs a program: a block that defines `int main()`")
        if self.is_program and self.wrap:
            raise SnippetError(where, "a program (it defines main) cannot be wrapped")

    @property
    def where(self):
        return f"{self.relative}:{self.first_line - 1}"

    @property
    def namespace(self):
        return f"{file_id(self.relative)}_L{self.first_line - 1}"

    def needs(self, context_dir):
        text = "\n".join(self.lines)
        if self.context:
            text += (context_dir / f"{self.context}.hpp").read_text()
        return {name for name, pattern in COMPONENT_PATTERNS.items() if pattern.search(text)}


def file_id(relative):
    return re.sub(r"[^A-Za-z0-9_]", "_", str(relative))


def parse_options(text):
    options = {}
    for word in text.split():
        key, _, value = word.partition("=")
        options[key] = value
    return options


def opening_fence(line):
    """(indent, marker, language) when `line` opens a code block, else None."""
    fence = FENCE.match(line)
    if not fence or (fence.group("marker")[0] == "`" and "`" in fence.group("info")):
        return None
    words = fence.group("info").split()
    return len(fence.group("indent")), fence.group("marker"), words[0] if words else ""


def closes(line, marker):
    """Whether `line` closes a block opened by `marker`: the same character, at least as many, nothing after."""
    fence = FENCE.match(line)
    return bool(fence) and fence.group("marker")[0] == marker[0] and len(fence.group("marker")) >= len(marker) \
        and not fence.group("info").strip()


def checked_language(language, where):
    if language in CPP_LANGUAGES:
        return "cpp"
    if CPP_LOOKING.match(language):
        raise SnippetError(where, f"a block labelled {language!r} would not be compiled: label C++ blocks cpp")
    return language


def read_blocks(md_path, relative):
    return parse_blocks(md_path.read_text().splitlines(), md_path, relative)


def parse_blocks(lines, md_path, relative):
    blocks = []
    pending = None  # (options, line) of a directive waiting for its block
    index = 0
    while index < len(lines):
        line = lines[index]
        directive = DIRECTIVE.match(line)
        if directive:
            pending = (parse_options(directive.group("options")), index + 1)
            index += 1
            continue
        fence = opening_fence(line)
        if not fence:
            if pending and line.strip():
                raise SnippetError(f"{relative}:{pending[1]}", "a snippet comment must be right before a ```cpp block")
            index += 1
            continue
        indent, marker, language = fence
        start = index + 1
        end = start
        while end < len(lines) and not closes(lines[end], marker):
            end += 1
        if end == len(lines):
            raise SnippetError(f"{relative}:{index + 1}", f"a code block without its closing {marker}")
        if checked_language(language, f"{relative}:{index + 1}") == "cpp":
            options = pending[0] if pending else {}
            body = [text[indent:] if text[:indent].strip() == "" else text for text in lines[start:end]]
            blocks.append(Block(md_path, relative, start + 1, body, options, f"{relative}:{index + 1}"))
        elif pending:
            raise SnippetError(f"{relative}:{pending[1]}", "a snippet comment must be right before a ```cpp block")
        pending = None
        index = end + 1
    if pending:
        raise SnippetError(f"{relative}:{pending[1]}", "a snippet comment must be right before a ```cpp block")
    openings = sum(1 for line in lines if CPP_OPENING.match(line))
    if openings != len(blocks):
        raise SnippetError(relative, f"{openings} lines open a cpp block but {len(blocks)} blocks were found: a ```cpp "
                                     "line inside another block, or a fence this script misread")
    return blocks


def line_marker(number, md_path):
    return f'#line {number} "{md_path}"'


def emit_block(block, out):
    """The block in its own namespace; its #include lines first, at file scope."""
    out.append(f"// {block.where}")
    if block.context:
        out.append(f'#include "{block.context}.hpp"')
    if block.wrap == "coroutine":
        out.append("#include <paged/task.hpp>")
    for offset, text in enumerate(block.lines):
        if INCLUDE.match(text):
            out.append(line_marker(block.first_line + offset, block.md_path))
            out.append(text)
    out.append(f"namespace {block.namespace} {{")
    if block.context:
        out.append(f"using namespace paged_docs::{block.context};")
    if block.wrap == "function":
        out.append("void snippet() {")
    elif block.wrap == "coroutine":
        out.append("paged::task<void> snippet() {")
    out.append(line_marker(block.first_line, block.md_path))
    out.extend("" if INCLUDE.match(text) else text for text in block.lines)
    if block.wrap == "coroutine":
        out.append("co_return;")
    if block.wrap:
        out.append("}")
    out.append(f"}}  // namespace {block.namespace}")
    out.append("")


def leave_out(block, why, out):
    out.append(f"// {block.where}: left out, this build has no {why}")
    out.append("")


def write_if_changed(path, text):
    # Unchanged output keeps its timestamp: editing prose does not recompile the snippets.
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def programs_main(programs):
    out = ["", "#include <cstdio>", "#include <exception>", "",
           "// Runs the programs marked run; names the block of each one that fails.", "int main() {",
           "    int failures = 0;"]
    for block in programs:
        if not block.runs:
            continue
        out.append("    try {")
        out.append(f"        std::printf(\"docs: running the program at {block.where}\\n\");")
        out.append(f"        if (const int code = {block.namespace}::main(); code != 0) {{")
        out.append(f"            std::printf(\"{block.where}: the program returned %d\\n\", code);")
        out.append("            ++failures;")
        out.append("        }")
        out.append("    } catch (const std::exception& failure) {")
        out.append(f"        std::printf(\"{block.where}: the program threw: %s\\n\", failure.what());")
        out.append("        ++failures;")
        out.append("    }")
    out.append("    return failures == 0 ? 0 : 1;")
    out.append("}")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, type=pathlib.Path, help="where the Markdown paths are relative to")
    parser.add_argument("--context-dir", required=True, type=pathlib.Path)
    parser.add_argument("--out-dir", required=True, type=pathlib.Path)
    parser.add_argument("--have", default="", help="comma-separated components this build has: http,redis")
    parser.add_argument("markdown", nargs="+", type=pathlib.Path)
    arguments = parser.parse_args()
    have = {name for name in arguments.have.split(",") if name}
    arguments.out_dir.mkdir(parents=True, exist_ok=True)

    programs_out, programs = [], []
    try:
        for md_path in arguments.markdown:
            md_path = md_path.resolve()
            relative = md_path.relative_to(arguments.root.resolve())
            fragments_out = [f"// Generated from {relative} by tests/docs/extract_snippets.py: edit the Markdown.", "",
                             *FRAGMENT_PROLOGUE]
            for block in read_blocks(md_path, relative):
                if block.context and not (arguments.context_dir / f"{block.context}.hpp").exists():
                    raise SnippetError(block.where, f"no context {block.context}: tests/docs/context/ has "
                                                    f"{sorted(p.stem for p in arguments.context_dir.glob('*.hpp'))}")
                missing = sorted(block.needs(arguments.context_dir) - have)
                target = programs_out if block.is_program else fragments_out
                if missing:
                    leave_out(block, " and ".join(f"paged::{name}" for name in missing), target)
                    continue
                emit_block(block, target)
                if block.is_program:
                    programs.append(block)
            write_if_changed(arguments.out_dir / f"{file_id(relative)}.fragments.cpp", "\n".join(fragments_out) + "\n")
    except SnippetError as failure:
        print(failure, file=sys.stderr)
        return 1
    header = ["// Generated by tests/docs/extract_snippets.py from every program in paged's Markdown: edit those.", ""]
    write_if_changed(arguments.out_dir / "programs.cpp", "\n".join(header + programs_out + programs_main(programs)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
