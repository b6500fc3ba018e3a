import type { Queryable } from '../../platform/db.ts';
import type { MapLayer, MapView, SavedMap } from './model.ts';

type Row = {
  id: string;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  visibility: 'public' | 'private';
  share_token: string;
  view: MapView | string;
  layers: MapLayer[] | string;
  owner: string | null;
  revision: number;
  created_at: Date | string;
  updated_at: Date | string;
};

const COLUMNS = 'id, title_zh, title_en, description_zh, description_en, visibility, share_token, view, layers, owner, revision, created_at, updated_at';
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

function fromRow(r: Row): SavedMap {
  return {
    id: r.id,
    title: { zh: r.title_zh, en: r.title_en },
    description: { zh: r.description_zh, en: r.description_en },
    visibility: r.visibility,
    shareToken: r.share_token,
    view: json(r.view),
    layers: json(r.layers),
    owner: r.owner,
    revision: Number(r.revision),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** What is written of a map. */
export type MapWrite = Pick<SavedMap, 'title' | 'description' | 'visibility' | 'view' | 'layers'>;

/** Reads one map. */
export async function getMap(db: Queryable, id: string): Promise<SavedMap | null> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM yitu.maps WHERE id = $1`, [id]);
  return r.rows[0] ? fromRow(r.rows[0]) : null;
}

/** Public maps, newest change first, optionally matching `q` in titles and descriptions. */
export async function listPublicMaps(
  db: Queryable,
  q: { text?: string; limit: number; offset: number; owner?: string | null; all?: boolean },
): Promise<{ items: SavedMap[]; total: number }> {
  const params: unknown[] = [];
  let where = q.all ? 'true' : "visibility = 'public'";
  if (!q.all && q.owner) {
    params.push(q.owner);
    where = `(visibility = 'public' OR owner = $${params.length})`;
  }
  if (q.text) {
    params.push(`%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const t = `$${params.length}`;
    where += ` AND (title_zh ILIKE ${t} OR title_en ILIKE ${t} OR description_zh ILIKE ${t} OR description_en ILIKE ${t} OR id ILIKE ${t})`;
  }
  const total = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM yitu.maps WHERE ${where}`, params);
  const page = await db.query<Row>(`SELECT ${COLUMNS} FROM yitu.maps WHERE ${where} ORDER BY updated_at DESC, id LIMIT ${q.limit} OFFSET ${q.offset}`, params);
  return { items: page.rows.map(fromRow), total: Number(total.rows[0].n) };
}

/** Inserts a map; false when the id is taken. */
export async function insertMap(db: Queryable, id: string, token: string, m: MapWrite, owner: string | null = null): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO yitu.maps (id, title_zh, title_en, description_zh, description_en, visibility, share_token, view, layers, owner)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10) ON CONFLICT (id) DO NOTHING`,
    [id, m.title.zh, m.title.en, m.description.zh, m.description.en, m.visibility, token, JSON.stringify(m.view), JSON.stringify(m.layers), owner],
  );
  return r.rowCount === 1;
}

/** Replaces a map's content if its revision is still `revision`; returns the new revision, or null when it changed meanwhile. */
export async function updateMap(db: Queryable, id: string, revision: number, m: MapWrite): Promise<number | null> {
  const r = await db.query<{ revision: number }>(
    `UPDATE yitu.maps SET title_zh = $3, title_en = $4, description_zh = $5, description_en = $6, visibility = $7, view = $8::jsonb, layers = $9::jsonb,
       revision = revision + 1, updated_at = now()
     WHERE id = $1 AND revision = $2 RETURNING revision`,
    [id, revision, m.title.zh, m.title.en, m.description.zh, m.description.en, m.visibility, JSON.stringify(m.view), JSON.stringify(m.layers)],
  );
  return r.rows[0] ? Number(r.rows[0].revision) : null;
}

/** Deletes a map; false when it was not there. */
export async function deleteMap(db: Queryable, id: string): Promise<boolean> {
  return (await db.query('DELETE FROM yitu.maps WHERE id = $1', [id])).rowCount === 1;
}

/** The ids of these datasets that exist and can be drawn (features), for spotting missing layers. */
export async function existingDatasets(db: Queryable, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await db.query<{ id: string }>("SELECT id FROM yitu.datasets WHERE id = ANY($1::text[]) AND kind <> 'statistics'", [ids]);
  return new Set(r.rows.map((x) => x.id));
}
