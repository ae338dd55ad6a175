import { PbfWriter } from 'pbf';

/**
 * A minimal Mapbox Vector Tile writer for test fixtures: one layer of line features with string properties,
 * in tile coordinates (points outside 0..extent are the tile buffer, as real tiles have).
 */
export interface TileLine {
  coords: [number, number][];
  properties: Record<string, string>;
}

const zigzag = (n: number) => (n << 1) ^ (n >> 31);

export function encodeTile(layerName: string, lines: TileLine[], extent = 4096): Uint8Array {
  const keys: string[] = [];
  const values: string[] = [];
  const index = (list: string[], v: string) => {
    const i = list.indexOf(v);
    if (i >= 0) return i;
    list.push(v);
    return list.length - 1;
  };
  const features = lines.map((line) => {
    const tags = Object.entries(line.properties).flatMap(([k, v]) => [index(keys, k), index(values, v)]);
    const geometry: number[] = [];
    let x = 0;
    let y = 0;
    line.coords.forEach(([px, py], i) => {
      if (i === 0) geometry.push((1 & 7) | (1 << 3));
      if (i === 1) geometry.push((2 & 7) | ((line.coords.length - 1) << 3));
      geometry.push(zigzag(Math.round(px) - x), zigzag(Math.round(py) - y));
      x = Math.round(px);
      y = Math.round(py);
    });
    return { tags, geometry };
  });
  const pbf = new PbfWriter();
  pbf.writeMessage(
    3,
    (_: null, w: PbfWriter) => {
      w.writeVarintField(15, 2);
      w.writeStringField(1, layerName);
      for (const f of features)
        w.writeMessage(
          2,
          (_f: null, fw: PbfWriter) => {
            fw.writePackedVarint(2, f.tags);
            fw.writeVarintField(3, 2);
            fw.writePackedVarint(4, f.geometry);
          },
          null,
        );
      for (const k of keys) w.writeStringField(3, k);
      for (const v of values) w.writeMessage(4, (_v: null, vw: PbfWriter) => vw.writeStringField(1, v), null);
      w.writeVarintField(5, extent);
    },
    null,
  );
  return pbf.finish();
}
