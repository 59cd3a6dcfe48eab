// check.mjs reads a PMTiles archive with the npm pmtiles reader (the one
// MapLibre's pmtiles protocol uses) and prints, as JSON, its header, its
// metadata, the tile id of every z/x/y asked for and the SHA-256 of each
// such tile after the reader's decompression (null for a missing tile).
//
//   node check.mjs FILE KEYS.json   (KEYS.json: [[z,x,y],...])
import { openSync, readSync, readFileSync, fstatSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { PMTiles, zxyToTileId } from 'pmtiles';

class NodeFileSource {
  constructor(path) { this.path = path; this.fd = openSync(path, 'r'); this.size = fstatSync(this.fd).size; }
  getKey() { return this.path; }
  async getBytes(offset, length) {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = Buffer.alloc(n);
    readSync(this.fd, buf, 0, n, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) };
  }
}

const [file, keysFile] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
const p = new PMTiles(new NodeFileSource(file));
const header = await p.getHeader();
const metadata = await p.getMetadata();
const tiles = {};
const ids = {};
for (const [z, x, y] of keys) {
  const k = `${z}/${x}/${y}`;
  ids[k] = zxyToTileId(z, x, y);
  const t = await p.getZxy(z, x, y);
  tiles[k] = t ? createHash('sha256').update(Buffer.from(t.data)).digest('hex') : null;
}
process.stdout.write(JSON.stringify({ header, metadata, ids, tiles }));
