"""Parser for proto/kafka/*.msg files (the notation is described in proto/README.md).

Produces a small model: files hold messages (request, response, or standalone
headers) and shared structs; messages and structs hold fields.
"""

import re
import shlex
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

MAX_VERSION = 0x7FFF

PRIMITIVES = {
    "bool", "int8", "int16", "int32", "int64", "uint16", "uint32", "float64",
    "uuid", "string", "bytes", "records",
}


class DefinitionError(Exception):
    pass


@dataclass
class VersionRange:
    lo: int
    hi: int

    def contains(self, v: int) -> bool:
        return self.lo <= v <= self.hi

    def intersect(self, other: "VersionRange") -> Optional["VersionRange"]:
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return VersionRange(lo, hi) if lo <= hi else None

    def cpp_test(self, var: str, within: "VersionRange") -> str:
        """C++ condition `var` in this range, simplified by the enclosing range."""
        parts = []
        if self.lo > within.lo:
            parts.append(f"{var} >= {self.lo}")
        if self.hi < within.hi:
            parts.append(f"{var} <= {self.hi}")
        return " && ".join(parts) if parts else "true"


def parse_versions(text: str) -> VersionRange:
    text = text.strip()
    if text.startswith("v"):
        text = text[1:]
    if text.endswith("+"):
        return VersionRange(int(text[:-1]), MAX_VERSION)
    if "-" in text:
        lo, hi = text.split("-", 1)
        return VersionRange(int(lo), int(hi))
    return VersionRange(int(text), int(text))


@dataclass
class Field:
    name: str
    type: str                      # primitive name or struct name
    is_array: bool
    versions: VersionRange
    nullable: Optional[VersionRange]
    tag: Optional[int] = None
    default: Optional[str] = None  # raw text from the file
    classic: bool = False
    ignorable: bool = False
    children: Optional["Struct"] = None   # inline struct definition
    line: int = 0

    @property
    def is_struct(self) -> bool:
        return self.type not in PRIMITIVES


@dataclass
class Struct:
    name: str
    fields: List[Field] = field(default_factory=list)


@dataclass
class Message:
    name: str                      # e.g. produce_request
    versions: VersionRange
    flexible: Optional[int]        # first flexible version, None if never
    body: Struct = None
    api_key: Optional[int] = None


@dataclass
class MsgFile:
    stem: str
    api_name: Optional[str] = None
    api_key: Optional[int] = None
    messages: List[Message] = field(default_factory=list)
    shared: List[Struct] = field(default_factory=list)


_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _strip_comment(line: str) -> str:
    # A comment starts with '#' outside quotes.
    out, quoted = [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == "#" and not quoted:
            break
        out.append(ch)
    return "".join(out).rstrip()


def _parse_head(tokens: List[str], path: str, lineno: int) -> Tuple[VersionRange, Optional[int]]:
    """Parses 'versions A-B flexible N+|none'."""
    try:
        vi = tokens.index("versions")
        versions = parse_versions(tokens[vi + 1])
        flexible = None
        if "flexible" in tokens:
            ftext = tokens[tokens.index("flexible") + 1]
            if ftext != "none":
                flexible = parse_versions(ftext).lo
        return versions, flexible
    except (ValueError, IndexError):
        raise DefinitionError(f"{path}:{lineno}: expected 'versions A-B flexible N+'")


def _parse_field(text: str, path: str, lineno: int, owner_versions: VersionRange) -> Field:
    tokens = shlex.split(text, posix=True)
    if len(tokens) < 2:
        raise DefinitionError(f"{path}:{lineno}: a field needs a name and a type")
    name, type_text = tokens[0], tokens[1]
    if not _FIELD_NAME.match(name):
        raise DefinitionError(f"{path}:{lineno}: field name '{name}' is not snake_case")
    nullable_all = type_text.endswith("?")
    type_text = type_text.rstrip("?")
    is_array = type_text.startswith("[") and type_text.endswith("]")
    if is_array:
        type_text = type_text[1:-1]
    f = Field(name=name, type=type_text, is_array=is_array, versions=owner_versions, nullable=None, line=lineno)
    null_text = None
    i = 2
    while i < len(tokens):
        t = tokens[i]
        if re.match(r"^v\d+(\+|-\d+)?$", t):
            f.versions = parse_versions(t)
        elif t == "null":
            i += 1
            null_text = tokens[i]
        elif t == "tag":
            i += 1
            f.tag = int(tokens[i])
        elif t == "default":
            i += 1
            f.default = tokens[i]
            if text.find('default "') >= 0:  # keep string defaults quoted
                f.default = '"' + tokens[i] + '"'
        elif t == "ignorable":
            f.ignorable = True
        elif t == "classic":
            f.classic = True
        elif t == "map_key":
            pass
        else:
            raise DefinitionError(f"{path}:{lineno}: unknown field option '{t}'")
        i += 1
    clipped = f.versions.intersect(owner_versions)
    if clipped is None:
        raise DefinitionError(f"{path}:{lineno}: field '{name}' versions lie outside its message")
    f.versions = clipped
    if nullable_all:
        f.nullable = f.versions
    elif null_text is not None:
        f.nullable = parse_versions(null_text).intersect(f.versions)
    if f.default == "null" and f.nullable is None:
        raise DefinitionError(f"{path}:{lineno}: default null on a field that is never nullable")
    return f


def parse_file(path: str, stem: str) -> MsgFile:
    mf = MsgFile(stem=stem)
    lines = open(path, encoding="utf-8").read().split("\n")
    # Stack of (indent, struct, versions) for nesting.
    stack: List[Tuple[int, Struct, VersionRange]] = []
    pending_header: Optional[str] = None
    for lineno, raw in enumerate(lines, 1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        if "\t" in line:
            raise DefinitionError(f"{path}:{lineno}: tabs are not allowed")
        indent = len(line) - len(line.lstrip(" "))
        text = line.strip()
        tokens = text.split()
        if indent == 0:
            stack.clear()
            kw = tokens[0]
            if kw == "api":
                mf.api_name, mf.api_key = tokens[1], int(tokens[2])
            elif kw in ("request", "response"):
                if mf.api_name is None:
                    raise DefinitionError(f"{path}:{lineno}: '{kw}' before 'api'")
                versions, flexible = _parse_head(tokens, path, lineno)
                msg = Message(f"{mf.api_name}_{kw}", versions, flexible, Struct(f"{mf.api_name}_{kw}"), mf.api_key)
                mf.messages.append(msg)
                stack.append((0, msg.body, versions))
            elif kw == "header":
                if "versions" in tokens:
                    versions, flexible = _parse_head(tokens, path, lineno)
                    msg = Message(tokens[1], versions, flexible, Struct(tokens[1]))
                    mf.messages.append(msg)
                    stack.append((0, msg.body, versions))
                else:
                    pending_header = tokens[1]
            elif kw == "versions" and pending_header:
                versions, flexible = _parse_head(tokens, path, lineno)
                msg = Message(pending_header, versions, flexible, Struct(pending_header))
                mf.messages.append(msg)
                stack.append((0, msg.body, versions))
                pending_header = None
            elif kw == "struct":
                s = Struct(tokens[1])
                mf.shared.append(s)
                stack.append((0, s, VersionRange(0, MAX_VERSION)))
            else:
                raise DefinitionError(f"{path}:{lineno}: unknown top-level keyword '{kw}'")
            continue
        # A field: its parent is the innermost open struct with a smaller indent.
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if not stack:
            raise DefinitionError(f"{path}:{lineno}: field outside any message or struct")
        _, parent, parent_versions = stack[-1]
        f = _parse_field(text, path, lineno, parent_versions)
        parent.fields.append(f)
        if f.is_struct:
            # Children, if any, follow with a deeper indent.
            f.children = Struct(f.type)
            stack.append((indent, f.children, f.versions))
    # Drop empty inline struct definitions: the field names a shared struct.
    shared_names = {s.name for s in mf.shared}

    def resolve(s: Struct):
        for f in s.fields:
            if f.is_struct:
                if f.children is not None and not f.children.fields:
                    f.children = None
                    if f.type not in shared_names:
                        raise DefinitionError(f"{path}:{f.line}: struct '{f.type}' has no fields and no definition")
                if f.children is not None:
                    resolve(f.children)

    for m in mf.messages:
        resolve(m.body)
    for s in mf.shared:
        resolve(s)
    return mf
