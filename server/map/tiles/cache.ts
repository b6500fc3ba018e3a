/** One cached tile: its stored bytes (gzip-compressed unless empty), ETag and the datasets it shows. */
export interface CachedTile {
  body: Buffer;
  gzip: boolean;
  etag: string;
  dependsOn: string[];
  /** Features per layer of the tile (for the audit trail). */
  features: Record<string, number>;
}

/**
 * A least-recently-used cache of tiles bounded by bytes (a Map keeps insertion order: a hit moves
 * the entry to the end, eviction takes from the front). Entries can be dropped by the dataset they
 * show, so a new version of one dataset evicts its tiles and leaves every other tile cached.
 */
export class TileCache {
  private entries = new Map<string, CachedTile>();
  private byDataset = new Map<string, Set<string>>();
  private used = 0;
  /** Hits and misses since start (for /health-like diagnostics and tests). */
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(private readonly maxBytes: number) {}

  /** Bytes held. */
  get bytes(): number {
    return this.used;
  }

  /** Number of tiles held. */
  get size(): number {
    return this.entries.size;
  }

  /** Reads a tile and marks it recently used. */
  get(key: string): CachedTile | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** Whether a tile is held (without touching its recency or the counters). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Stores a tile, evicting the least recently used ones beyond the byte budget. */
  set(key: string, tile: CachedTile): void {
    const size = cost(key, tile);
    if (size > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, tile);
    this.used += size;
    for (const d of tile.dependsOn) {
      let keys = this.byDataset.get(d);
      if (!keys) this.byDataset.set(d, (keys = new Set()));
      keys.add(key);
    }
    for (const [k] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.delete(k);
      this.stats.evictions++;
    }
  }

  /** Drops every tile that shows the dataset; returns how many. */
  invalidate(datasetId: string): number {
    const keys = this.byDataset.get(datasetId);
    if (!keys) return 0;
    const n = keys.size;
    for (const k of [...keys]) this.delete(k);
    this.byDataset.delete(datasetId);
    return n;
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
    this.byDataset.clear();
    this.used = 0;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.used -= cost(key, e);
    for (const d of e.dependsOn) {
      const keys = this.byDataset.get(d);
      keys?.delete(key);
      if (keys && !keys.size) this.byDataset.delete(d);
    }
  }
}

/** Bytes an entry takes: the tile, its key (UTF-16) and a fixed overhead for the objects. */
function cost(key: string, t: CachedTile): number {
  return t.body.length + key.length * 2 + 200;
}
