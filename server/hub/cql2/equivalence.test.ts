import { describe, expect, it } from 'vitest';
import { compileFilter, parseCql2Json, parseCql2Text } from './index.ts';
import { stripLocations, testContext } from './test-context.ts';

const ctx = testContext({ idColumn: 'fid' });
const prop = (property: string) => ({ property });

/** The same filter in cql2-text and cql2-json (mostly from the examples of OGC 21-065). */
const PAIRS: [string, unknown][] = [
  ["name = 'Toronto'", { op: '=', args: [prop('name'), 'Toronto'] }],
  ["name <> 'landsat8'", { op: '<>', args: [prop('name'), 'landsat8'] }],
  ['eo:cloud_cover <= 0.5', { op: '<=', args: [prop('eo:cloud_cover'), 0.5] }],
  ['pop > 1000 AND pop < 5000', { op: 'and', args: [{ op: '>', args: [prop('pop'), 1000] }, { op: '<', args: [prop('pop'), 5000] }] }],
  [
    "name = 'a' OR pop > 1 AND NOT open",
    { op: 'or', args: [{ op: '=', args: [prop('name'), 'a'] }, { op: 'and', args: [{ op: '>', args: [prop('pop'), 1] }, { op: 'not', args: [prop('open')] }] }] },
  ],
  ['open = TRUE', { op: '=', args: [prop('open'), true] }],
  ['TRUE', true],
  ["built >= DATE('1970-01-01')", { op: '>=', args: [prop('built'), { date: '1970-01-01' }] }],
  ["updated < TIMESTAMP('2024-01-31T08:30:00Z')", { op: '<', args: [prop('updated'), { timestamp: '2024-01-31T08:30:00Z' }] }],
  ["name LIKE 'Smith%'", { op: 'like', args: [prop('name'), 'Smith%'] }],
  ["name LIKE '100\\%'", { op: 'like', args: [prop('name'), '100\\%'] }],
  ["name NOT LIKE 'foo%'", { op: 'not', args: [{ op: 'like', args: [prop('name'), 'foo%'] }] }],
  ['area BETWEEN 100.0 AND 150.0', { op: 'between', args: [prop('area'), 100.0, 150.0] }],
  ['pop NOT BETWEEN 1 AND 2', { op: 'not', args: [{ op: 'between', args: [prop('pop'), 1, 2] }] }],
  ["name IN ('Toronto','Frankfurt','Tokyo','New York')", { op: 'in', args: [prop('name'), ['Toronto', 'Frankfurt', 'Tokyo', 'New York']] }],
  ['pop NOT IN (1,2,3,4)', { op: 'not', args: [{ op: 'in', args: [prop('pop'), [1, 2, 3, 4]] }] }],
  ['name IS NULL', { op: 'isNull', args: [prop('name')] }],
  ['name IS NOT NULL', { op: 'not', args: [{ op: 'isNull', args: [prop('name')] }] }],
  ["CASEI(road_class) IN (CASEI('Οδος'),CASEI('Straße'))", { op: 'in', args: [{ op: 'casei', args: [prop('road_class')] }, [{ op: 'casei', args: ['Οδος'] }, { op: 'casei', args: ['Straße'] }]] }],
  ["CASEI(name) LIKE CASEI('sm%')", { op: 'like', args: [{ op: 'casei', args: [prop('name')] }, { op: 'casei', args: ['sm%'] }] }],
  ["名称 = '北京市'", { op: '=', args: [prop('名称'), '北京市'] }],
  ['id = 7', { op: '=', args: [prop('id'), 7] }],
  ['S_INTERSECTS(geometry,POINT(36.319836 32.288087))', { op: 's_intersects', args: [prop('geometry'), { type: 'Point', coordinates: [36.319836, 32.288087] }] }],
  ['S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))', { op: 's_intersects', args: [prop('geometry'), { bbox: [-180, -90, 180, 90] }] }],
  ['S_WITHIN(geometry, BBOX(170, -10, -170, 10))', { op: 's_within', args: [prop('geometry'), { bbox: [170, -10, -170, 10] }] }],
  [
    'S_CROSSES(geometry,LINESTRING(43.72992 -79.2998, 43.73005 -79.2991, 43.73006 -79.2984))',
    { op: 's_crosses', args: [prop('geometry'), { type: 'LineString', coordinates: [[43.72992, -79.2998], [43.73005, -79.2991], [43.73006, -79.2984]] }] },
  ],
  [
    "name = 'ScanSAR Narrow' AND S_INTERSECTS(geometry,POLYGON((-77.117938 38.936860, -77.040604 39.995648, -76.910536 38.892912, -77.039359 38.791753, -77.047906 38.841462, -77.034183 38.840655, -77.033142 38.857490, -77.117938 38.936860)))",
    {
      op: 'and',
      args: [
        { op: '=', args: [prop('name'), 'ScanSAR Narrow'] },
        {
          op: 's_intersects',
          args: [
            prop('geometry'),
            {
              type: 'Polygon',
              coordinates: [
                [
                  [-77.117938, 38.93686],
                  [-77.040604, 39.995648],
                  [-76.910536, 38.892912],
                  [-77.039359, 38.791753],
                  [-77.047906, 38.841462],
                  [-77.034183, 38.840655],
                  [-77.033142, 38.85749],
                  [-77.117938, 38.93686],
                ],
              ],
            },
          ],
        },
      ],
    },
  ],
  [
    'S_CONTAINS(geometry, MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1))))',
    { op: 's_contains', args: [prop('geometry'), { type: 'MultiPolygon', coordinates: [[[[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 0, 1]]]] }] },
  ],
  [
    'S_DISJOINT(geometry, GEOMETRYCOLLECTION(POINT(1 1), POLYGON((0 0, 1 0, 1 1, 0 0))))',
    {
      op: 's_disjoint',
      args: [
        prop('geometry'),
        { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 1] }, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }] },
      ],
    },
  ],
  ["T_BEFORE(built, DATE('2015-01-01'))", { op: 't_before', args: [prop('built'), { date: '2015-01-01' }] }],
  ["T_AFTER(updated, TIMESTAMP('2024-01-01T00:00:00Z'))", { op: 't_after', args: [prop('updated'), { timestamp: '2024-01-01T00:00:00Z' }] }],
  ["T_INTERSECTS(built, INTERVAL('2020-01-01', '..'))", { op: 't_intersects', args: [prop('built'), { interval: ['2020-01-01', '..'] }] }],
  [
    "T_DURING(INTERVAL(touchdown, liftOff), INTERVAL('1969-07-16T13:32:00Z', '1969-07-24T16:50:35Z'))",
    { op: 't_during', args: [{ interval: [prop('touchdown'), prop('liftOff')] }, { interval: ['1969-07-16T13:32:00Z', '1969-07-24T16:50:35Z'] }] },
  ],
  ["T_FINISHEDBY(INTERVAL(touchdown, liftOff), TIMESTAMP('1969-07-24T16:50:35Z'))", { op: 't_finishedBy', args: [{ interval: [prop('touchdown'), prop('liftOff')] }, { timestamp: '1969-07-24T16:50:35Z' }] }],
];

describe('cql2-text and cql2-json forms of the same filter', () => {
  it.each(PAIRS)('%s', (text, json) => {
    expect(stripLocations(parseCql2Text(text))).toEqual(stripLocations(parseCql2Json(json)));
    const fromText = compileFilter(text, 'cql2-text', ctx);
    const fromJson = compileFilter(JSON.stringify(json), 'cql2-json', ctx);
    expect(fromJson).toEqual(fromText);
  });
});
