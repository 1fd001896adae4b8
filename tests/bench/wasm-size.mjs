// What makes a wasm file big: bytes per section, and the code section's
// bytes per crate and per function, from the `name` section that
// wasm-bindgen keeps (run wasm-opt with -g to keep it after optimising).
//
//   node bench/wasm-size.mjs FILE.wasm [--json OUT] [--top N]
//
// A function is charged to the crate that owns what it does: the first path
// segment of its demangled name, looking through `<T as Trait>::` (T's
// crate, unless T is a primitive or a reference) and `drop_in_place<T>`
// (T's crate). Generic code instantiated in another crate is charged to the
// generic's crate (e.g. `serde_json::de::…<app::…>` counts as serde_json).
import { readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const file = args[0];
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const top = Number(opt("--top", 40));
const bytes = readFileSync(file);

let pos = 0;
function u32() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return result;
    shift += 7;
  }
}
function name() {
  const len = u32();
  const s = bytes.subarray(pos, pos + len).toString("utf8");
  pos += len;
  return s;
}

const SECTION = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];
pos = 8;
const sections = [];
let importedFunctions = 0;
let bodies = [];
const names = new Map();
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const start = pos;
  let label = SECTION[id] ?? `id ${id}`;
  if (id === 0) {
    const custom = name();
    label = `custom "${custom}"`;
    if (custom === "name") {
      while (pos < start + size) {
        const sub = bytes[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          const count = u32();
          for (let i = 0; i < count; i++) {
            const index = u32();
            names.set(index, name());
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      name();
      name();
      const kind = bytes[pos++];
      if (kind === 0) {
        importedFunctions++;
        u32();
      } else if (kind === 1) {
        pos++;
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 2) {
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 3) {
        pos += 2;
      } else if (kind === 4) {
        pos++;
        u32();
      }
    }
  } else if (id === 10) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      const len = u32();
      bodies.push(len);
      pos += len;
    }
  }
  sections.push({ section: label, bytes: size });
  pos = start + size;
}

function crateOf(full) {
  let n = full.replace(/^(_\$LT\$|<)+/, "<");
  // drop_in_place<T> and similar glue: charge T.
  const glue = n.match(/^core::ptr::drop_in_place<(.*)>(::h[0-9a-f]+)?$/);
  if (glue) n = glue[1];
  n = n.replace(/^<+/, "").replace(/^(&|&mut |mut |dyn |\*const |\*mut |\[)+/, "");
  const head = n.split(/::|<| as |>|\(|\)|\[|;|,| /)[0];
  if (/^[A-Z]$/.test(head ?? "")) {
    // `<T as Trait>::f` with T a generic parameter: the trait's crate.
    const as = n.match(/ as ([a-z_][a-zA-Z0-9_]*)::/);
    return as ? as[1] : "(generic)";
  }
  if (!head || /^(u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize|f32|f64|bool|char|str)$/.test(head)) {
    const as = n.match(/ as ([a-zA-Z_][a-zA-Z0-9_]*)::/);
    return as ? as[1] : head || "?";
  }
  return head;
}

const functions = bodies.map((size, i) => {
  const full = names.get(i + importedFunctions) ?? `func[${i + importedFunctions}]`;
  return { name: full, size, crate: crateOf(full) };
});
const byCrate = new Map();
for (const f of functions) {
  const c = byCrate.get(f.crate) ?? { crate: f.crate, bytes: 0, functions: 0 };
  c.bytes += f.size;
  c.functions++;
  byCrate.set(f.crate, c);
}
const crates = [...byCrate.values()].sort((a, b) => b.bytes - a.bytes);
const code = bodies.reduce((a, b) => a + b, 0);
const biggest = [...functions].sort((a, b) => b.size - a.size).slice(0, top);

const report = { file, total: bytes.length, named: names.size > 0, sections, code, crates, biggest };
if (opt("--json")) writeFileSync(opt("--json"), JSON.stringify(report, null, 2));
console.log(`${file}: ${bytes.length} bytes${names.size ? "" : " (no name section: build with -g to see functions)"}`);
for (const s of sections) console.log(`  ${s.section.padEnd(28)} ${String(s.bytes).padStart(9)}`);
console.log(`code by crate (${code} bytes of function bodies):`);
for (const c of crates.slice(0, top)) {
  console.log(`  ${c.crate.padEnd(28)} ${String(c.bytes).padStart(9)} ${(100 * c.bytes / code).toFixed(1).padStart(5)} %  ${c.functions} fns`);
}
console.log(`largest functions:`);
for (const f of biggest) console.log(`  ${String(f.size).padStart(7)}  ${f.name.slice(0, 150)}`);
