/**
 * Regional scope in SQL. A user with a scope (a town official, a grid worker: their region codes,
 * else their department's jurisdiction) reads the features of non-public datasets only within it
 * (`guard.scope(principal, dataset)` says when); every path that reads features (the features API,
 * exports, diffs, tiles) adds this condition.
 */

/**
 * The condition keeping a dataset's rows whose geometry intersects one of the regions `codes`
 * (yitu.regions). `geom` is the row's geometry column, qualified (the regions table has a `geom`
 * too); `add` turns the codes into a parameter placeholder. The regions are merged once per
 * statement (an init plan), so the row test can use the dataset's spatial index. Unknown codes
 * match nothing, and rows without geometry are outside every scope.
 */
export function scopeSql(geom: string, codes: readonly string[], add: (v: unknown) => string): string {
  return `ST_Intersects(${geom}, (SELECT ST_Union(r.geom) FROM yitu.regions r WHERE r.code = ANY(${add([...codes])}::text[])))`;
}
