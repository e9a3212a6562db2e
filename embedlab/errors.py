"""Errors users can act on.

Every failure a user can cause raises a subclass of :class:`EmbedlabError`. Messages name the bad value,
what was expected and what to do next, so pages can show them verbatim with ``st.error`` and the CLI can
print them without a traceback.
"""

from __future__ import annotations


class EmbedlabError(Exception):
    """Root of every user-facing embedlab error."""


class UnknownKeyError(EmbedlabError, KeyError):
    """A word or key is not in the space's vocabulary."""

    def __init__(self, key: str, space_name: str, size: int, suggestions: list[str] | None = None):
        self.key = key
        self.space_name = space_name
        self.suggestions = list(suggestions or [])
        msg = f"'{key}' is not in the vocabulary of {space_name} ({size:,} words)."
        if self.suggestions:
            alts = ", ".join(f"'{s}'" for s in self.suggestions[:5])
            msg += f" Did you mean {alts}?"
        else:
            msg += " Check the spelling, or pick a word from the space's vocabulary."
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class FormatError(EmbedlabError):
    """A vectors file could not be read: names the file, the line and what was wrong."""

    def __init__(self, path: str, problem: str, line: int | None = None, hint: str = ""):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else self.path
        msg = f"{where}: {problem}"
        if hint:
            msg += f" {hint}"
        super().__init__(msg)


class DimensionError(EmbedlabError):
    """Vectors or inputs do not have the dimension that was expected."""


class EmptyInputError(EmbedlabError):
    """An input (file, list, corpus, selection) turned out empty."""


class InputTooLargeError(EmbedlabError):
    """An upload or request exceeds a stated limit."""


class UnknownSpaceError(EmbedlabError):
    """A space name is neither bundled, in the workspace, nor an existing path."""


class InvalidParameterError(EmbedlabError):
    """A parameter value is out of its allowed range or of the wrong kind."""


class WorkspaceError(EmbedlabError, OSError):
    """A saved space could not be written or deleted (another writer holds it, or the disk refused)."""


def one_line(exc: BaseException, limit: int = 300) -> str:
    """``TypeName: message`` of an unexpected error on one line, cut to ``limit`` characters (what the CLI
    and the pages say about a bug before the traceback)."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split()).removesuffix(":")
    return text if len(text) <= limit else text[: limit - 1] + "…"
