#!/usr/bin/env python3
"""Self-test of extract_snippets.py's reading of Markdown: which fences open and close a block, which C++ blocks it
takes, and the errors that keep a block from going unchecked."""

import pathlib
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import extract_snippets  # noqa: E402  (beside this script)


def blocks_of(markdown):
    return extract_snippets.parse_blocks(markdown.splitlines(), pathlib.Path("/docs/x.md"), "x.md")


def bodies_of(markdown):
    return [block.lines for block in blocks_of(markdown)]


class Fences(unittest.TestCase):
    def test_words_after_the_language(self):
        self.assertEqual(bodies_of('```cpp title="a.cpp"\nint a;\n```\n'), [["int a;"]])

    def test_tilde_fence(self):
        self.assertEqual(bodies_of("~~~cpp\nint a;\n~~~\n```cpp\nint b;\n```\n"), [["int a;"], ["int b;"]])

    def test_a_longer_fence_holds_a_shorter_one(self):
        markdown = "````md\n```sh\nls\n```\n````\n```cpp\nint b;\n```\n"
        self.assertEqual(bodies_of(markdown), [["int b;"]])

    def test_closing_needs_the_same_character_and_length(self):
        markdown = "````cpp\nint a;\n```\n~~~~\nint b;\n````\n"
        self.assertEqual(bodies_of(markdown), [["int a;", "```", "~~~~", "int b;"]])

    def test_a_closing_fence_has_nothing_after_it(self):
        self.assertEqual(bodies_of("```cpp\nint a;\n```sh\n```\n"), [["int a;", "```sh"]])

    def test_indented_block(self):
        self.assertEqual(bodies_of("* item\n\n  ```cpp\n  int a;\n  ```\n"), [["int a;"]])

    def test_c_plus_plus_label(self):
        self.assertEqual(bodies_of("```c++\nint a;\n```\n"), [["int a;"]])

    def test_inline_code_at_the_start_of_a_line_is_no_fence(self):
        self.assertEqual(bodies_of("```` ``` ```` is a fence.\n```cpp\nint a;\n```\n"), [["int a;"]])

    def test_other_languages_are_left_alone(self):
        self.assertEqual(bodies_of("```sh\nmake\n```\n```\nplain\n```\n```python\nx = 1\n```\n"), [])


class Refusals(unittest.TestCase):
    def refused(self, markdown, words):
        with self.assertRaises(extract_snippets.SnippetError) as raised:
            blocks_of(markdown)
        self.assertIn(words, str(raised.exception))

    def test_other_cpp_labels(self):
        for label in ("C++", "CPP", "cxx", "cc", "hpp", "cpp20"):
            with self.subTest(label=label):
                self.refused(f"```{label}\nint a;\n```\n", "label C++ blocks cpp")

    def test_unclosed_block(self):
        self.refused("```cpp\nint a;\n", "without its closing")
        self.refused("````cpp\nint a;\n```\n", "without its closing ````")

    def test_a_cpp_fence_inside_another_block(self):
        self.refused("````md\n```cpp\nint a;\n```\n````\n", "1 lines open a cpp block but 0 blocks")

    def test_a_snippet_comment_before_another_language(self):
        self.refused("<!-- snippet: wrap=function -->\n```sh\nls\n```\n", "right before a ```cpp block")


if __name__ == "__main__":
    unittest.main()
