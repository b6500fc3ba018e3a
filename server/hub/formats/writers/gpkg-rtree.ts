import type { Database } from 'sql.js';
import { quoteIdent } from './names.ts';

/**
 * The GeoPackage R-tree spatial index, built without the SQLite R-tree module.
 *
 * sql.js 1.16 is compiled without SQLITE_ENABLE_RTREE ("no such module: rtree"), so the
 * `rtree_<t>_<c>` virtual table cannot be created or filled through SQL. Instead the index is
 * bulk-loaded here (Sort-Tile-Recursive packing) straight into the three shadow tables the R-tree
 * module keeps (`_node`, `_rowid`, `_parent`, in the format documented at the top of SQLite's
 * `rtree.c`), and the virtual table's row is added to `sqlite_master` with `writable_schema`.
 * Any SQLite with the R-tree module (GDAL, QGIS, the sqlite3 shell) then opens it as an ordinary
 * R-tree; the tests check it with `rtreecheck()` and with spatial queries through GDAL.
 * Node layout: 1228-byte nodes (what SQLite itself picks for 2 dimensions: 4 + 51 cells × 24
 * bytes), a 2-byte depth (root only) and 2-byte cell count, then cells of a 64-bit id and four
 * 32-bit floats (minx, maxx, miny, maxy), all big-endian; float bounds are rounded outwards.
 */

/** Cells per node and node size for a 2-dimensional SQLite R-tree. */
const MAX_CELLS = 51;
const CELL_BYTES = 8 + 4 * 4;
const NODE_BYTES = 4 + MAX_CELLS * CELL_BYTES;

/** A growable list of (id, envelope) pairs, in typed arrays (40 bytes per feature). */
export class EnvelopeList {
  ids = new Float64Array(1024);
  /** minx, maxx, miny, maxy per entry. */
  env = new Float64Array(4096);
  count = 0;

  /** Adds one entry. */
  add(id: number, minx: number, maxx: number, miny: number, maxy: number): void {
    if (this.count === this.ids.length) {
      const ids = new Float64Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      const env = new Float64Array(this.env.length * 2);
      env.set(this.env);
      this.env = env;
    }
    const i = this.count++;
    this.ids[i] = id;
    this.env.set([minx, maxx, miny, maxy], i * 4);
  }
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The largest float32 ≤ x (`up` false) or the smallest float32 ≥ x (`up` true). */
export function roundFloat32(x: number, up: boolean): number {
  f32[0] = x;
  const f = f32[0];
  if (up ? f >= x : f <= x) return f;
  // step one ulp in the wanted direction
  if (f === 0) {
    i32[0] = 1;
    return up ? f32[0] : -f32[0];
  }
  i32[0] += (f > 0) === up ? 1 : -1;
  return f32[0];
}

/** Callbacks receiving the rows of the three shadow tables. */
interface RtreeSink {
  node(nodeno: number, data: Uint8Array): void;
  rowid(rowid: number, nodeno: number): void;
  parent(nodeno: number, parent: number): void;
}

/** Packs the entries into R-tree nodes (STR bulk load) and hands out the shadow-table rows. */
export function buildRtree(list: EnvelopeList, sink: RtreeSink): void {
  let ids = list.ids.subarray(0, list.count);
  let env = list.env.subarray(0, list.count * 4);
  let count = list.count;
  let depth = 0;
  let nextNode = 2;
  for (;;) {
    if (count <= MAX_CELLS) {
      const order = Uint32Array.from({ length: count }, (_, i) => i);
      sink.node(1, encodeNode(ids, env, order, 0, count, depth));
      for (let i = 0; i < count; i++) {
        if (depth === 0) sink.rowid(ids[i], 1);
        else sink.parent(ids[i], 1);
      }
      return;
    }
    const order = strOrder(env, count);
    const nodes = Math.ceil(count / MAX_CELLS);
    const upIds = new Float64Array(nodes);
    const upEnv = new Float64Array(nodes * 4);
    for (let n = 0; n < nodes; n++) {
      const start = n * MAX_CELLS;
      const end = Math.min(count, start + MAX_CELLS);
      const nodeno = nextNode++;
      sink.node(nodeno, encodeNode(ids, env, order, start, end, 0));
      let minx = Infinity;
      let maxx = -Infinity;
      let miny = Infinity;
      let maxy = -Infinity;
      for (let k = start; k < end; k++) {
        const i = order[k];
        if (depth === 0) sink.rowid(ids[i], nodeno);
        else sink.parent(ids[i], nodeno);
        minx = Math.min(minx, env[i * 4]);
        maxx = Math.max(maxx, env[i * 4 + 1]);
        miny = Math.min(miny, env[i * 4 + 2]);
        maxy = Math.max(maxy, env[i * 4 + 3]);
      }
      upIds[n] = nodeno;
      upEnv.set([minx, maxx, miny, maxy], n * 4);
    }
    ids = upIds;
    env = upEnv;
    count = nodes;
    depth++;
  }
}

/** Sort-Tile-Recursive order: slices by x centre, each slice sorted by y centre. */
function strOrder(env: Float64Array, count: number): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const cx = (i: number): number => env[i * 4] + env[i * 4 + 1];
  const cy = (i: number): number => env[i * 4 + 2] + env[i * 4 + 3];
  order.sort((a, b) => cx(a) - cx(b));
  const leaves = Math.ceil(count / MAX_CELLS);
  const sliceSize = Math.ceil(Math.sqrt(leaves)) * MAX_CELLS;
  for (let s = 0; s < count; s += sliceSize) {
    order.subarray(s, Math.min(count, s + sliceSize)).sort((a, b) => cy(a) - cy(b));
  }
  return order;
}

function encodeNode(
  ids: Float64Array,
  env: Float64Array,
  order: Uint32Array,
  start: number,
  end: number,
  depth: number,
): Uint8Array {
  const data = new Uint8Array(NODE_BYTES);
  const dv = new DataView(data.buffer);
  dv.setUint16(0, depth);
  dv.setUint16(2, end - start);
  let o = 4;
  for (let k = start; k < end; k++) {
    const i = order[k];
    dv.setBigInt64(o, BigInt(ids[i]));
    dv.setFloat32(o + 8, roundFloat32(env[i * 4], false));
    dv.setFloat32(o + 12, roundFloat32(env[i * 4 + 1], true));
    dv.setFloat32(o + 16, roundFloat32(env[i * 4 + 2], false));
    dv.setFloat32(o + 20, roundFloat32(env[i * 4 + 3], true));
    o += CELL_BYTES;
  }
  return data;
}

/**
 * Writes the R-tree `rtree_<table>_<column>` of the entries into `db`: shadow tables, the six
 * maintenance triggers of GeoPackage 1.3, then the virtual table's schema row. The triggers call
 * ST_IsEmpty/ST_MinX…, which only GeoPackage-aware SQLite hosts (GDAL, QGIS) provide, so no row
 * may be written to the feature table after this. Registering the extension in `gpkg_extensions`
 * is left to the caller.
 */
export function writeRtree(db: Database, table: string, column: string, pk: string, list: EnvelopeList): void {
  const name = `rtree_${table}_${column}`;
  const q = quoteIdent(name);
  db.run(`CREATE TABLE ${quoteIdent(`${name}_rowid`)}(rowid INTEGER PRIMARY KEY,nodeno)`);
  db.run(`CREATE TABLE ${quoteIdent(`${name}_node`)}(nodeno INTEGER PRIMARY KEY,data)`);
  db.run(`CREATE TABLE ${quoteIdent(`${name}_parent`)}(nodeno INTEGER PRIMARY KEY,parentnode)`);
  const insNode = db.prepare(`INSERT INTO ${quoteIdent(`${name}_node`)} VALUES (?, ?)`);
  const insRowid = db.prepare(`INSERT INTO ${quoteIdent(`${name}_rowid`)} VALUES (?, ?)`);
  const insParent = db.prepare(`INSERT INTO ${quoteIdent(`${name}_parent`)} VALUES (?, ?)`);
  db.run('BEGIN');
  try {
    buildRtree(list, {
      node: (n, data) => void insNode.run([n, data]),
      rowid: (r, n) => void insRowid.run([r, n]),
      parent: (n, p) => void insParent.run([n, p]),
    });
    db.run('COMMIT');
  } catch (e) {
    db.run('ROLLBACK');
    throw e;
  } finally {
    insNode.free();
    insRowid.free();
    insParent.free();
  }
  for (const trigger of rtreeTriggers(table, column, pk)) db.run(trigger);
  // Last schema change: sql.js cannot reparse a schema naming the rtree module afterwards.
  const sql = `CREATE VIRTUAL TABLE ${q} USING rtree(id, minx, maxx, miny, maxy)`;
  db.run('PRAGMA writable_schema = ON');
  db.run("INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql) VALUES ('table', ?, ?, 0, ?)", [name, name, sql]);
  db.run('PRAGMA writable_schema = OFF');
}

/** The R-tree maintenance triggers of GeoPackage 1.3 (Annex F.3). */
export function rtreeTriggers(table: string, column: string, pk: string): string[] {
  const t = quoteIdent(table);
  const c = quoteIdent(column);
  const i = quoteIdent(pk);
  const r = quoteIdent(`rtree_${table}_${column}`);
  const trg = (suffix: string): string => quoteIdent(`rtree_${table}_${column}_${suffix}`);
  const box = `NEW.${i}, ST_MinX(NEW.${c}), ST_MaxX(NEW.${c}), ST_MinY(NEW.${c}), ST_MaxY(NEW.${c})`;
  const nonEmpty = `(NEW.${c} NOTNULL AND NOT ST_IsEmpty(NEW.${c}))`;
  const empty = `(NEW.${c} ISNULL OR ST_IsEmpty(NEW.${c}))`;
  return [
    `CREATE TRIGGER ${trg('insert')} AFTER INSERT ON ${t} WHEN ${nonEmpty} BEGIN INSERT OR REPLACE INTO ${r} VALUES (${box}); END`,
    `CREATE TRIGGER ${trg('update1')} AFTER UPDATE OF ${c} ON ${t} WHEN OLD.${i} = NEW.${i} AND ${nonEmpty} BEGIN INSERT OR REPLACE INTO ${r} VALUES (${box}); END`,
    `CREATE TRIGGER ${trg('update2')} AFTER UPDATE OF ${c} ON ${t} WHEN OLD.${i} = NEW.${i} AND ${empty} BEGIN DELETE FROM ${r} WHERE id = OLD.${i}; END`,
    `CREATE TRIGGER ${trg('update3')} AFTER UPDATE ON ${t} WHEN OLD.${i} != NEW.${i} AND ${nonEmpty} BEGIN DELETE FROM ${r} WHERE id = OLD.${i}; INSERT OR REPLACE INTO ${r} VALUES (${box}); END`,
    `CREATE TRIGGER ${trg('update4')} AFTER UPDATE ON ${t} WHEN OLD.${i} != NEW.${i} AND ${empty} BEGIN DELETE FROM ${r} WHERE id IN (OLD.${i}, NEW.${i}); END`,
    `CREATE TRIGGER ${trg('delete')} AFTER DELETE ON ${t} WHEN OLD.${c} NOT NULL BEGIN DELETE FROM ${r} WHERE id = OLD.${i}; END`,
  ];
}
