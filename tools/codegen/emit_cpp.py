"""Emits C++ structs with per-version encode/decode for one parsed .msg file."""

from typing import Dict, List

from msgdef import MAX_VERSION, Field, MsgFile, Message, Struct, VersionRange

CPP_KEYWORDS = {
    "default", "operator", "class", "struct", "namespace", "template", "new", "delete", "this",
    "throw", "try", "catch", "public", "private", "protected", "virtual", "register", "union",
    "auto", "const", "static", "int", "long", "short", "char", "bool", "float", "double",
}

SCALARS = {
    "bool": ("bool", "bool"), "int8": ("int8_t", "int8"), "int16": ("int16_t", "int16"),
    "int32": ("int32_t", "int32"), "int64": ("int64_t", "int64"), "uint16": ("uint16_t", "uint16"),
    "uint32": ("uint32_t", "uint32"), "float64": ("double", "float64"), "uuid": ("kafka::uuid", "uuid"),
}


def member(name: str) -> str:
    return name + "_" if name in CPP_KEYWORDS else name


class Emitter:
    def __init__(self, mf: MsgFile):
        self.mf = mf
        self.shared = {s.name: s for s in mf.shared}
        self.prefix = (mf.api_name or mf.stem) + "_"
        self.in_shared = False  # shared structs live at namespace level, under a prefix

    # ---- naming -------------------------------------------------------------------------
    def struct_type(self, name: str) -> str:
        """The C++ type name of a struct: prefixed at namespace level, plain inside a message."""
        return self.prefix + name if self.in_shared else name

    def element_type(self, f: Field) -> str:
        if f.is_struct:
            return self.struct_type(f.type)
        if f.type in SCALARS:
            return SCALARS[f.type][0]
        return {"string": "std::string", "bytes": "std::vector<uint8_t>", "records": "kafka::records"}[f.type]

    def cpp_type(self, f: Field) -> str:
        t = self.element_type(f)
        if f.is_array:
            t = f"std::vector<{t}>"
            return f"std::optional<{t}>" if f.nullable else t
        if f.nullable and f.type in ("string", "bytes") or (f.nullable and f.is_struct):
            return f"std::optional<{t}>"
        return t

    def default_init(self, f: Field) -> str:
        d = f.default
        if f.is_array:
            if d == "null":
                return "std::nullopt"
            return "std::vector<" + self.element_type(f) + ">{}" if f.nullable else "{}"
        if f.is_struct:
            return "{}" if not f.nullable or d == "null" else self.element_type(f) + "{}"
        if f.type == "string":
            if d == "null":
                return "std::nullopt"
            return "std::string(" + (d if d and d.startswith('"') else '""') + ")" if f.nullable else (d if d and d.startswith('"') else '{}')
        if f.type == "bytes":
            return "std::nullopt" if d == "null" else ("std::vector<uint8_t>{}" if f.nullable else "{}")
        if f.type in ("records", "uuid"):
            return "{}"
        if f.type == "bool":
            return "true" if d == "true" else "false"
        if f.type == "float64":
            return d or "0.0"
        if d is None:
            return "0"
        val = int(d, 0)
        if f.type == "int64" and (val > 2**31 - 1 or val < -2**31):
            return f"{val}LL"
        return str(val)

    # ---- declarations -------------------------------------------------------------------
    def nested_structs(self, s: Struct, out: List[Struct]):
        """Inline struct definitions below `s`, children before parents."""
        for f in s.fields:
            if f.children is not None:
                self.nested_structs(f.children, out)
                out.append(f.children)

    def declare_struct(self, s: Struct, indent: str, extra: str = "") -> str:
        lines = [f"{indent}struct {s.name} {{"]
        if extra:
            lines.append(extra)
        for f in s.fields:
            lines.append(f"{indent}    {self.cpp_type(f)} {member(f.name)} = {self.default_init(f)};")
        lines += [
            f"{indent}    void encode(writer& w, int16_t version, bool flexible) const;",
            f"{indent}    void decode(reader& r, int16_t version, bool flexible);",
            f"{indent}    bool operator==(const {s.name}&) const = default;",
            f"{indent}}};",
        ]
        return "\n".join(lines)

    def declare_message(self, m: Message) -> str:
        nested: List[Struct] = []
        self.nested_structs(m.body, nested)
        first_flex = m.flexible if m.flexible is not None else MAX_VERSION
        consts = [
            f"    static constexpr int16_t lowest_version = {m.versions.lo};",
            f"    static constexpr int16_t highest_version = {m.versions.hi};",
            f"    static constexpr int16_t first_flexible_version = {first_flex};",
            "    static constexpr bool is_flexible(int16_t v) { return v >= first_flexible_version; }",
        ]
        if m.api_key is not None:
            consts.insert(0, f"    static constexpr int16_t kafka_api_key = {m.api_key};")
        body = [f"struct {m.name} {{"] + consts
        for s in self.mf.shared:
            body.append(f"    using {s.name} = {self.prefix}{s.name};")
        for s in nested:
            body.append(self.declare_struct(s, "    "))
        for f in m.body.fields:
            body.append(f"    {self.cpp_type(f)} {member(f.name)} = {self.default_init(f)};")
        body += [
            "    void encode(writer& w, int16_t version) const { encode(w, version, is_flexible(version)); }",
            "    void decode(reader& r, int16_t version) { decode(r, version, is_flexible(version)); }",
            "    void encode(writer& w, int16_t version, bool flexible) const;",
            "    void decode(reader& r, int16_t version, bool flexible);",
            f"    bool operator==(const {m.name}&) const = default;",
            "};",
        ]
        return "\n".join(body)

    def declare_shared(self) -> str:
        out = []
        self.in_shared = True
        for s in self.shared_in_dependency_order():
            nested: List[Struct] = []
            self.nested_structs(s, nested)
            if nested:
                raise SystemExit(f"{self.mf.stem}: shared struct {s.name} may not define inline structs")
            renamed = Struct(self.prefix + s.name, s.fields)
            out.append(self.declare_struct(renamed, ""))
        self.in_shared = False
        return "\n\n".join(out)

    def shared_in_dependency_order(self) -> List[Struct]:
        done: List[Struct] = []

        def visit(s: Struct, path):
            if s in done:
                return
            if s.name in path:
                raise SystemExit(f"{self.mf.stem}: shared struct {s.name} refers to itself")
            for f in s.fields:
                if f.is_struct and f.type in self.shared:
                    visit(self.shared[f.type], path | {s.name})
            done.append(s)

        for s in self.mf.shared:
            visit(s, set())
        return done

    # ---- encode -------------------------------------------------------------------------
    def compact(self, f: Field) -> str:
        return "false" if f.classic else "flexible"

    def write_value(self, f: Field, expr: str, nullable_here: str, ind: str, out: str = "w") -> List[str]:
        """Statements writing one non-array value `expr` of field f to writer `out`."""
        return [l.replace("w.", out + ".").replace("(w,", f"({out},") for l in self._write_value(f, expr, nullable_here, ind)]

    def _write_value(self, f: Field, expr: str, nullable_here: str, ind: str) -> List[str]:
        c = self.compact(f)
        if f.is_struct:
            if f.nullable:
                return [f"{ind}if ({nullable_here} && !{expr}) w.write_int8(-1);",
                        f"{ind}else {{ if ({nullable_here}) w.write_int8(1); {expr}.value_or({self.element_type(f)}{{}}).encode(w, version, flexible); }}"]
            return [f"{ind}{expr}.encode(w, version, flexible);"]
        if f.type in SCALARS:
            return [f"{ind}w.write_{SCALARS[f.type][1]}({expr});"]
        if f.type == "records":
            return [f"{ind}w.write_records({expr}, {c});"]
        kind = f.type
        if f.nullable:
            return [f"{ind}if ({nullable_here}) w.write_nullable_{kind}({expr}, {c});",
                    f"{ind}else w.write_{kind}({expr} ? *{expr} : decltype({expr})::value_type{{}}, {c});"]
        return [f"{ind}w.write_{kind}({expr}, {c});"]

    def write_field(self, f: Field, ind: str, within: VersionRange, out: str = "w") -> List[str]:
        x = member(f.name)
        nullable_here = f.nullable.cpp_test("version", f.versions) if f.nullable else "false"
        if not f.is_array:
            return self.write_value(f, x, nullable_here, ind, out)
        c = self.compact(f)
        elem = Field(f.name, f.type, False, f.versions, None, classic=f.classic)
        lines = []
        src = x
        if f.nullable:
            lines.append(f"{ind}if ({nullable_here} && !{x}) {{ {out}.write_array_length(-1, {c}); }} else {{")
            lines.append(f"{ind}    static const std::vector<{self.element_type(f)}> empty_list;")
            src = f"({x} ? *{x} : empty_list)"
            ind2 = ind + "    "
        else:
            ind2 = ind
        lines.append(f"{ind2}{out}.write_array_length(int32_t({src}.size()), {c});")
        lines.append(f"{ind2}for (const auto& e : {src}) {{")
        lines += self.write_value(elem, "e", "false", ind2 + "    ", out)
        lines.append(f"{ind2}}}")
        if f.nullable:
            lines.append(f"{ind}}}")
        return lines

    def is_default_expr(self, f: Field) -> str:
        x = member(f.name)
        return f"({x} == decltype({x})({self.default_init(f)}))"

    def encode_body(self, s: Struct, within: VersionRange) -> List[str]:
        lines = []
        regular = [f for f in s.fields if f.tag is None]
        tagged = sorted((f for f in s.fields if f.tag is not None), key=lambda f: f.tag)
        for f in regular:
            cond = f.versions.cpp_test("version", within)
            body = self.write_field(f, "        ", within)
            if cond == "true":
                lines += [l[4:] for l in body]
            else:
                lines.append(f"    if ({cond}) {{")
                lines += body
                lines.append("    }")
        lines.append("    if (flexible) {")
        if tagged:
            lines.append("        uint32_t tagged = 0;")
            for f in tagged:
                cond = f.versions.cpp_test("version", within)
                lines.append(f"        const bool has_{f.tag} = ({cond}) && !{self.is_default_expr(f)};")
                lines.append(f"        tagged += has_{f.tag};")
            lines.append("        w.write_uvarint(tagged);")
            for f in tagged:
                lines.append(f"        if (has_{f.tag}) {{")
                lines.append(f"            w.write_uvarint({f.tag});")
                lines.append("            writer tw;")
                lines += ["        " + l for l in self.write_field(f, "    ", within, out="tw")]
                lines.append("            w.write_uvarint(uint32_t(tw.buffer().size()));")
                lines.append("            w.write_raw(tw.buffer());")
                lines.append("        }")
        else:
            lines.append("        w.write_uvarint(0);")
        lines.append("    }")
        return lines

    # ---- decode -------------------------------------------------------------------------
    def read_value(self, f: Field, target: str, nullable_here: str, ind: str, r: str) -> List[str]:
        c = self.compact(f)
        if f.is_struct:
            et = self.element_type(f)
            if f.nullable:
                return [f"{ind}if ({nullable_here} && {r}.read_int8() < 0) {target} = std::nullopt;",
                        f"{ind}else {{ {et} s; s.decode({r}, version, flexible); {target} = std::move(s); }}"]
            return [f"{ind}{target}.decode({r}, version, flexible);"]
        if f.type in SCALARS:
            return [f"{ind}{target} = {r}.read_{SCALARS[f.type][1]}();"]
        if f.type == "records":
            return [f"{ind}{target} = {r}.read_records({c});"]
        if f.nullable:
            return [f"{ind}if ({nullable_here}) {target} = {r}.read_nullable_{f.type}({c});",
                    f"{ind}else {target} = {r}.read_{f.type}({c});"]
        return [f"{ind}{target} = {r}.read_{f.type}({c});"]

    def read_field(self, f: Field, ind: str, r: str) -> List[str]:
        x = member(f.name)
        nullable_here = f.nullable.cpp_test("version", f.versions) if f.nullable else "false"
        if not f.is_array:
            return self.read_value(f, x, nullable_here, ind, r)
        c = self.compact(f)
        elem = Field(f.name, f.type, False, f.versions, None, classic=f.classic)
        et = self.element_type(f)
        lines = [f"{ind}{{",
                 f"{ind}    int32_t n = {r}.read_array_length({c}, {nullable_here});"]
        if f.nullable:
            lines.append(f"{ind}    if (n < 0) {{ {x} = std::nullopt; }} else {{")
            lines.append(f"{ind}    auto& list = {x}.emplace();")
        else:
            lines.append(f"{ind}    {{")
            lines.append(f"{ind}    auto& list = {x};")
            lines.append(f"{ind}    list.clear();")
        lines.append(f"{ind}    list.resize(size_t(n));")
        lines.append(f"{ind}    for (auto& e : list) {{")
        lines += self.read_value(elem, "e", "false", ind + "        ", r)
        lines.append(f"{ind}    }}")
        lines.append(f"{ind}    }}")
        lines.append(f"{ind}}}")
        return lines

    def decode_body(self, s: Struct, within: VersionRange) -> List[str]:
        lines = []
        regular = [f for f in s.fields if f.tag is None]
        tagged = sorted((f for f in s.fields if f.tag is not None), key=lambda f: f.tag)
        for f in regular:
            cond = f.versions.cpp_test("version", within)
            body = self.read_field(f, "        ", "r")
            if cond == "true":
                lines += [l[4:] for l in body]
            else:
                lines.append(f"    if ({cond}) {{")
                lines += body
                lines.append("    }")
        lines += [
            "    if (flexible) {",
            "        uint32_t tagged = r.read_uvarint();",
            "        for (uint32_t i = 0; i < tagged && r.ok(); ++i) {",
            "            uint32_t tag = r.read_uvarint();",
            "            uint32_t size = r.read_uvarint();",
            "            auto value = r.read_raw(size);",
        ]
        if tagged:
            lines.append("            switch (tag) {")
            for f in tagged:
                cond = f.versions.cpp_test("version", within)
                lines.append(f"            case {f.tag}: if ({cond}) {{")
                lines.append("                reader tr(value);")
                lines += self.read_field(f, "                ", "tr")
                lines.append("                if (!tr.ok()) r.fail();")
                lines.append("            } break;")
            lines.append("            default: break; // unknown tags are skipped")
            lines.append("            }")
        else:
            lines.append("            (void)tag; (void)value; // unknown tags are skipped")
        lines += ["        }", "    }"]
        return lines

    def define_struct(self, s: Struct, qualified: str, within: VersionRange) -> str:
        enc = self.encode_body(s, within)
        dec = self.decode_body(s, within)
        return "\n".join(
            [f"void {qualified}::encode(writer& w, int16_t version, bool flexible) const {{"] + enc + ["}", ""] +
            [f"void {qualified}::decode(reader& r, int16_t version, bool flexible) {{"] + dec + ["}", ""])

    def definitions(self) -> str:
        out = []
        everything = VersionRange(0, MAX_VERSION)
        self.in_shared = True
        for s in self.mf.shared:
            out.append(self.define_struct(s, self.prefix + s.name, everything))
        self.in_shared = False
        for m in self.mf.messages:
            nested: List[Struct] = []
            self.nested_structs(m.body, nested)
            for s in nested:
                out.append(self.define_struct(s, f"{m.name}::{s.name}", everything))
            out.append(self.define_struct(m.body, m.name, m.versions))
        return "\n".join(out)

    def check_names(self):
        for m in self.mf.messages:
            nested: List[Struct] = []
            self.nested_structs(m.body, nested)
            type_names = [s.name for s in nested] + [s.name for s in self.mf.shared]
            if len(set(type_names)) != len(type_names):
                dup = sorted({n for n in type_names if type_names.count(n) > 1})
                raise SystemExit(f"{self.mf.stem}: struct names repeat within {m.name}: {dup}")
            field_names = set()

            def collect(s: Struct):
                for f in s.fields:
                    field_names.add(f.name)
                    if f.children:
                        collect(f.children)
            collect(m.body)
            for s in self.mf.shared:
                collect(s)
            clash = sorted(set(type_names) & field_names)
            if clash:
                raise SystemExit(f"{self.mf.stem}: struct names equal field names in {m.name}: {clash}")
