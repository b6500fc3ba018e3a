import { YituError } from '../../platform/errors.ts';
import { truncate, type PropertyNode } from './ast.ts';
import { filterError } from './filter-errors.ts';

/** Types a queryable property can have (the same as dataset field types). */
export type QueryableType = 'integer' | 'number' | 'text' | 'boolean' | 'date' | 'timestamp' | 'json';

/** A queryable property: its SQL column (already validated) and its type. */
export interface QueryableProperty {
  /** SQL column name, matching `[a-z_][a-z0-9_]*`; emitted double-quoted. */
  column: string;
  type: QueryableType;
}

/** What the compiler needs to know about the collection being filtered. */
export interface CompileContext {
  /** Queryable name (as clients write it, case-sensitive) → column and type. */
  properties: Map<string, QueryableProperty>;
  /** Geometry column, stored in EPSG:4326. */
  geometryColumn: string;
  /** Names that refer to the geometry; default `['geometry', 'geom']`. */
  geometryNames?: string[];
  /** EPSG code of geometry literals and BBOX values; default 4326 (CRS84 order: lon, lat). */
  filterCrs?: number;
  /** Number of parameters the caller already uses; `$n` numbering continues after it. */
  paramOffset?: number;
  /** Column of the feature id, queryable as `id` (unless `properties` has an `id`). */
  idColumn?: string;
  /**
   * Type of the id column. When absent the id is compared as text (`"col"::text = $1::text`), which
   * works whatever the column type is; give it to compare natively and use the index.
   */
  idType?: QueryableType;
}

/** A compiled filter: SQL for a WHERE clause and its parameter values. */
export interface CompiledFilter {
  /** A boolean SQL expression, safe to combine with AND; user values only appear as `$n`. */
  sql: string;
  /** Values of `$<paramOffset+1>` … in order. */
  params: unknown[];
}

/** What a property name resolves to. */
export type ResolvedProperty =
  | { kind: 'geometry'; name: string; sql: string }
  | { kind: 'value'; name: string; sql: string; type: QueryableType; textId: boolean };

const COLUMN_RE = /^[a-z_][a-z0-9_]*$/;
const MAX_LISTED = 100;

function column(name: string, what: string): string {
  if (typeof name !== 'string' || !COLUMN_RE.test(name)) {
    throw new YituError('YITU_ERR_INTERNAL', `CQL2 compiler: ${what} column ${JSON.stringify(name)} is not a safe SQL identifier [a-z_][a-z0-9_]*`);
  }
  return `"${name}"`;
}

/** Collects parameters and resolves property names while one filter is compiled. */
export class SqlBuilder {
  /** Parameter values, in `$n` order. */
  readonly params: unknown[] = [];
  /** EPSG code of literals. */
  readonly crs: number;
  private readonly offset: number;
  private readonly geometryNames: string[];

  constructor(readonly ctx: CompileContext) {
    this.offset = ctx.paramOffset ?? 0;
    if (!Number.isInteger(this.offset) || this.offset < 0) {
      throw new YituError('YITU_ERR_INTERNAL', `CQL2 compiler: paramOffset must be a non-negative integer, got ${String(ctx.paramOffset)}`);
    }
    this.crs = ctx.filterCrs ?? 4326;
    if (!Number.isInteger(this.crs) || this.crs <= 0) {
      throw new YituError('YITU_ERR_INTERNAL', `CQL2 compiler: filterCrs must be a positive EPSG code, got ${String(ctx.filterCrs)}`);
    }
    this.geometryNames = ctx.geometryNames ?? ['geometry', 'geom'];
  }

  /** Adds a parameter and returns its placeholder with an explicit cast, e.g. `$3::int8`. */
  param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.offset + this.params.length}::${cast}`;
  }

  /** All names a client may use, for messages. */
  queryableNames(): string[] {
    const names = [...this.ctx.properties.keys()];
    for (const g of this.geometryNames) if (!names.includes(g)) names.push(g);
    if (this.ctx.idColumn && !names.includes('id')) names.push('id');
    return names;
  }

  /** Resolves a property reference, or throws YITU_ERR_FILTER_PROPERTY_UNKNOWN listing the queryables. */
  resolve(node: PropertyNode): ResolvedProperty {
    const name = node.name;
    const prop = this.ctx.properties.get(name);
    if (prop) return { kind: 'value', name, sql: column(prop.column, `property "${name}"`), type: prop.type, textId: false };
    if (this.geometryNames.includes(name)) return { kind: 'geometry', name, sql: column(this.ctx.geometryColumn, 'geometry') };
    if (name === 'id' && this.ctx.idColumn) {
      const sql = column(this.ctx.idColumn, 'id');
      if (this.ctx.idType) return { kind: 'value', name, sql, type: this.ctx.idType, textId: false };
      return { kind: 'value', name, sql: `${sql}::text`, type: 'text', textId: true };
    }
    const names = this.queryableNames();
    const similar = names.find((n) => n.toLowerCase() === name.toLowerCase());
    const listed = names.slice(0, MAX_LISTED).map((n) => `"${n}"`).join(', ');
    const more = names.length > MAX_LISTED ? ` and ${names.length - MAX_LISTED} more` : '';
    throw filterError(
      `Unknown property "${truncate(name)}"` +
        (similar ? ` (property names are case-sensitive: did you mean "${similar}"?)` : '') +
        `. Queryable properties: ${listed || '(none)'}${more}`,
      node.at,
      'YITU_ERR_FILTER_PROPERTY_UNKNOWN',
      { queryables: names },
    );
  }
}
