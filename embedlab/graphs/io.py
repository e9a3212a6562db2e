"""Reading graphs: edge lists (CSV, TSV, whitespace; header or not; optional weight column), label files,
GraphML and GEXF.

Edge list rules
---------------
* The separator is found from the first data line: a tab, else a comma, else runs of whitespace.
* Lines starting with ``#`` or ``%`` are comments (SNAP, KONECT). Blank lines are skipped.
* Columns: ``source target [weight]``; further columns are ignored. Node ids are any strings.
* The first line is a header when its weight column is not a number but the next line's is, or when its
  first two fields are usual column names (``source,target``, ``from,to``, ``node1,node2``, ``u,v``...).
* A weight that is not a positive number is an error naming the line. Self-loops and duplicate edges are
  handled by :meth:`Graph.from_edges` and reported.
* At most :data:`MAX_EDGES` lines and :data:`MAX_BYTES` bytes: larger inputs are refused before parsing.
* Text is decoded by :func:`embedlab.uploads.decode_text` (UTF-8, else Windows-1252 with a note in the
  graph's report; binary files refused).
* Control characters other than tab and line ends (NUL, vertical tab, form feed, ESC, DEL, ...) are refused,
  naming the line, in edge lists and label files alike: a NUL shows as nothing on screen, so ``a<NUL>b``
  would look like the different node ``ab``, and Python treats several of them as line breaks.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from embedlab.errors import EmptyInputError, FormatError, InputTooLargeError
from embedlab.graphs.graph import Graph
from embedlab.strings import is_number
from embedlab.uploads import check_size, csv_rows, decode_text

MAX_EDGES = 5_000_000
MAX_BYTES = 256 * 1024 * 1024
HEADER_NAMES = {"source", "target", "src", "dst", "from", "to", "node1", "node2",
                "id1", "id2", "node", "neighbor", "neighbour", "head", "tail", "left", "right"}
XML_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".xml": "graphml"}
LABEL_ATTRS = ("club", "faction", "community", "group", "class", "category", "label")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
_CONTROL_NAMES = {"\x00": "NUL", "\x0b": "vertical tab", "\x0c": "form feed", "\x1b": "ESC", "\x7f": "DEL",
                  "\x85": "next line", "\u2028": "line separator", "\u2029": "paragraph separator"}


def _decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Text (:func:`embedlab.uploads.decode_text`) without control characters (see the module docstring),
    and the decoding note, else a :class:`FormatError`."""
    text, note = decode_text(name, data)
    _refuse_controls(text, name)
    return text, note


def _refuse_controls(text: str, name: str) -> None:
    bad = _CONTROL.search(text)
    if bad:
        char = bad.group()
        line_no = text.count("\n", 0, bad.start()) + 1
        line = text[text.rfind("\n", 0, bad.start()) + 1:].split("\n", 1)[0].rstrip("\r")
        shown = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), line[:60])
        raise FormatError(name, f"holds a control character ({_CONTROL_NAMES.get(char, 'control')}, "
                          f"{char!r}) in '{shown}': node ids and labels must be printable text (a "
                          "NUL shows as nothing, so two different ids could look the same).", line=line_no,
                          hint="Remove or replace the control characters and read the file again.")


def _data_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, line) for every non-blank, non-comment line."""
    return [(i, ln) for i, ln in enumerate(text.splitlines(), 1)
            if ln.strip() and not ln.lstrip().startswith(("#", "%"))]


def _separator(line: str) -> str | None:
    if "\t" in line:
        return "\t"
    if "," in line:
        return ","
    return None  # whitespace


def _split(line: str, sep: str | None) -> list[str]:
    if sep == ",":
        return [f.strip() for f in next(csv_rows(line))]
    return [f.strip() for f in (line.split(sep) if sep else line.split())]


def _has_header(first: list[str], second: list[str] | None) -> bool:
    if len(first) >= 2 and first[0].lower() in HEADER_NAMES and first[1].lower() in HEADER_NAMES:
        return True
    if len(first) >= 3 and second is not None and len(second) >= 3:
        return not is_number(first[2]) and is_number(second[2])
    return False


def check_edge_budget(data: bytes, name: str, max_edges: int = MAX_EDGES, max_bytes: int = MAX_BYTES) -> None:
    """Refuse inputs over the size or line limit before parsing anything."""
    check_size(name, len(data), max_bytes)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > max_edges + 1:
        raise InputTooLargeError(
            f"'{name}' has {lines:,} lines; the limit is {max_edges:,} edges. Sample the graph (e.g. keep "
            "a connected part) or run the CLI with a larger --max-edges on a machine with more memory."
        )


def parse_edge_list(data: bytes, name: str = "edges", directed: bool = False, header: bool | None = None,
                    max_edges: int = MAX_EDGES, max_bytes: int = MAX_BYTES) -> Graph:
    """A :class:`Graph` from edge-list bytes (rules in the module docstring)."""
    import pandas as pd

    check_edge_budget(data, name, max_edges, max_bytes)
    text, note = _decode(data, name)
    lines = _data_lines(text)
    if not lines:
        raise EmptyInputError(f"'{name}' has no edges: expected one 'source target [weight]' pair per line.")
    sep = _separator(lines[0][1])
    first = _split(lines[0][1], sep)
    second = _split(lines[1][1], sep) if len(lines) > 1 else None
    if header is None:
        header = _has_header(first, second)
    body = lines[1:] if header else lines
    if not body:
        raise EmptyInputError(f"'{name}' has a header but no edges below it.")
    if len(body) > max_edges:
        raise InputTooLargeError(f"'{name}' has {len(body):,} edges; the limit is {max_edges:,} edges. "
                                 "Sample the graph (e.g. keep a connected part) and try again.")
    text = "\n".join(ln for _, ln in body)
    try:
        df = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False, na_filter=False,
                         sep=r"\s+" if sep is None else sep, skipinitialspace=True, quotechar='"')
    except (pd.errors.ParserError, ValueError) as exc:
        raise FormatError(name, f"could not be read as an edge list ({exc}).",
                          hint="Expected 'source target [weight]' on every line.") from exc
    if df.shape[1] < 2:
        raise FormatError(name, "has only one column; an edge needs 'source target'.", line=body[0][0])
    if df.shape[1] < 3:
        df[2] = ""
    src, dst = df[0].str.strip(), df[1].str.strip()
    missing = np.flatnonzero((src == "").to_numpy() | (dst == "").to_numpy())
    if len(missing):
        ln = body[missing[0]][0]
        raise FormatError(name, "has only one node id on this line; an edge needs 'source target'.", line=ln)
    weights = None
    wcol = df[2].str.strip()
    if (wcol != "").any():
        w = pd.to_numeric(wcol.where(wcol != "", "1"), errors="coerce").to_numpy(dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(w) | (w <= 0))
        if len(bad):
            ln = body[bad[0]][0]
            raise FormatError(name, f"the weight '{wcol.iloc[bad[0]]}' is not a positive number.", line=ln,
                              hint="The third column, when present, must hold edge weights such as 1 or 0.5.")
        weights = w
    graph = Graph.from_edges(src.to_numpy(), dst.to_numpy(), weights, directed=directed, name=name,
                             header=bool(header), info={"source": name})
    return replace(graph, report=replace(graph.report, notes=(note,))) if note else graph


def parse_labels(data: bytes, graph, name: str = "labels") -> dict[str, str]:
    """``{node: label}`` from a ``node,label`` file (CSV/TSV/whitespace, optional header).

    Every node named must be in ``graph`` (a :class:`Graph` or an :class:`EmbeddingSpace` of nodes); a node
    may be listed once only.
    """
    lines = _data_lines(_decode(data, name)[0])
    if not lines:
        raise EmptyInputError(f"'{name}' has no labels: expected one 'node,label' pair per line.")
    sep = _separator(lines[0][1])
    labels: dict[str, str] = {}
    index = set(graph.nodes if isinstance(graph, Graph) else graph.keys)
    size = len(index)
    for k, (ln, line) in enumerate(lines):
        fields = _split(line, sep)
        if len(fields) < 2 or not fields[1]:
            raise FormatError(name, "expected 'node,label' (two fields).", line=ln)
        node, label = fields[0], fields[1]
        if k == 0 and node.lower() in {"node", "id", "name", "key"} and (
                node not in index or label.lower() in LABEL_ATTRS):
            continue  # header
        if node not in index:
            raise FormatError(name, f"names node '{node}', which is not in the graph {graph.name} "
                              f"({size:,} nodes).", line=ln,
                              hint="Check that the label file belongs to this edge list (same node ids).")
        if node in labels and labels[node] != label:
            raise FormatError(name, f"gives node '{node}' two labels ('{labels[node]}' and '{label}').",
                              line=ln)
        labels[node] = label
    return labels


def parse_xml_graph(data: bytes, name: str, kind: str, max_edges: int = MAX_EDGES,
                    max_bytes: int = MAX_BYTES) -> Graph:
    """GraphML or GEXF via networkx; a node attribute among :data:`LABEL_ATTRS` becomes the labels."""
    import networkx as nx

    check_size(name, len(data), max_bytes)
    reader = nx.read_graphml if kind == "graphml" else nx.read_gexf
    try:
        g = reader(io.BytesIO(data))
    except Exception as exc:  # networkx raises many types for bad XML
        problem = f"could not be read as {kind.upper()} ({type(exc).__name__}: {exc})."
        raise FormatError(name, problem) from exc
    return from_networkx(g, name, max_edges=max_edges, label_attrs=LABEL_ATTRS if kind == "graphml"
                         else LABEL_ATTRS[:-1])


def from_networkx(g, name: str, max_edges: int = MAX_EDGES, label_attrs=LABEL_ATTRS, **kw) -> Graph:
    """A :class:`Graph` from a networkx graph (weights from the ``weight`` edge attribute)."""
    if g.number_of_edges() > max_edges:
        raise InputTooLargeError(f"'{name}' has {g.number_of_edges():,} edges; the limit is {max_edges:,}.")
    edges = list(g.edges(data=True))
    src = [str(a) for a, _, _ in edges]
    dst = [str(b) for _, b, _ in edges]
    weights = None
    if edges and all("weight" in d for _, _, d in edges):
        try:
            weights = np.asarray([float(d["weight"]) for _, _, d in edges])
        except (TypeError, ValueError) as exc:
            raise FormatError(name, f"has a non-numeric edge weight ({exc}).") from exc
    labels = None
    for attr in label_attrs:
        vals = {str(n): str(d[attr]) for n, d in g.nodes(data=True) if attr in d}
        if vals:
            labels = vals
            break
    return Graph.from_edges(src, dst, weights, directed=g.is_directed(), nodes=[str(n) for n in g.nodes],
                            name=name, labels=labels, **kw)


def read_graph(path_or_bytes, name: str | None = None, directed: bool = False, labels=None,
               max_edges: int = MAX_EDGES) -> Graph:
    """Read an edge list, GraphML or GEXF file (path or bytes) plus an optional label file.

    Parameters
    ----------
    path_or_bytes : str, Path or bytes
        A file path; bytes need ``name`` (its file name decides GraphML/GEXF by suffix).
    labels : str, Path or bytes, optional
        A ``node,label`` file.
    """
    if isinstance(path_or_bytes, (bytes, bytearray)):
        data, name = bytes(path_or_bytes), name or "upload"
    else:
        data = read_file(path_or_bytes, "Give an edge-list path or a bundled graph name (karate, lesmis, "
                         "wordnet-nouns).")
        name = name or Path(path_or_bytes).name
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, name)
    suffix = Path(re.sub(r"\.gz$", "", name)).suffix.lower()
    if suffix in XML_SUFFIXES:
        graph = parse_xml_graph(data, name, XML_SUFFIXES[suffix], max_edges=max_edges)
    else:
        graph = parse_edge_list(data, name, directed=directed, max_edges=max_edges)
    if labels is not None:
        graph = graph.with_labels(read_labels(labels, graph))
    return graph


def read_file(path, hint: str) -> bytes:
    """The bytes of the file at ``path`` (at most :data:`MAX_BYTES`), else a :class:`FormatError` naming it
    with ``hint`` (what to give instead)."""
    p = Path(path)
    if not p.is_file():
        raise FormatError(str(p), "does not exist or is not a file.", hint=hint)
    check_size(p.name, p.stat().st_size, MAX_BYTES)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise FormatError(str(p), f"could not be read ({exc.strerror or exc}).", hint=hint) from exc


def read_labels(labels, graph) -> dict[str, str]:
    """``{node: label}`` from a ``node,label`` file given as a path or as bytes, for ``graph`` (a
    :class:`Graph` or a node space); see :func:`parse_labels`."""
    if isinstance(labels, (bytes, bytearray)):
        return parse_labels(bytes(labels), graph, "labels")
    data = read_file(labels, "Give a 'node,label' file: one node id and its label per line.")
    return parse_labels(data, graph, Path(labels).name)


def _gunzip(data: bytes, name: str) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, MAX_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise FormatError(name, f"is not a valid gzip file ({exc}).") from exc
    if len(out) > MAX_BYTES or d.unconsumed_tail:
        raise InputTooLargeError(f"'{name}' inflates to more than {MAX_BYTES // (1024 * 1024)} MB; "
                                 "the limit for edge lists. Upload a smaller graph.")
    return out
