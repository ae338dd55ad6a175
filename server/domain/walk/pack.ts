/**
 * The walking network as one binary value (walk_graph.arrays), so that the server reads it from the database in
 * one piece instead of row by row: a JSON header (names, kinds and lengths of the arrays, and small values), then
 * the arrays' bytes, each at a multiple of 8.
 */
type Typed = Float64Array | Int32Array | Uint8Array;
const KINDS = { f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;
type Kind = keyof typeof KINDS;
const kindOf = (a: Typed): Kind => (a instanceof Float64Array ? 'f64' : a instanceof Int32Array ? 'i32' : 'u8');

export function pack(arrays: Record<string, Typed>, extra: Record<string, unknown>): Uint8Array {
  const entries = Object.entries(arrays);
  const parts: { name: string; kind: Kind; length: number; offset: number }[] = [];
  let offset = 0;
  for (const [name, a] of entries) {
    parts.push({ name, kind: kindOf(a), length: a.length, offset });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header = new TextEncoder().encode(JSON.stringify({ parts, extra }));
  const start = 8 + Math.ceil(header.byteLength / 8) * 8;
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, header.byteLength, true);
  out.set(header, 8);
  entries.forEach(([, a], i) => {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + (parts[i]?.offset ?? 0));
  });
  return out;
}

export function unpack(bytes: Uint8Array): { arrays: Record<string, Typed>; extra: Record<string, unknown> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const { parts, extra } = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as {
    parts: { name: string; kind: Kind; length: number; offset: number }[];
    extra: Record<string, unknown>;
  };
  const start = 8 + Math.ceil(headerLength / 8) * 8;
  const arrays: Record<string, Typed> = {};
  for (const p of parts) {
    const Ctor = KINDS[p.kind];
    const size = p.length * Ctor.BYTES_PER_ELEMENT;
    // A copy: the bytes of a database answer need not be aligned for the array's type.
    const copy = new Uint8Array(size);
    copy.set(bytes.subarray(start + p.offset, start + p.offset + size));
    arrays[p.name] = new Ctor(copy.buffer);
  }
  return { arrays, extra };
}
