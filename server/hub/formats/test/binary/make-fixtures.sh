#!/bin/sh
# Regenerates the binary import fixtures of server/hub/formats with GDAL (Debian gdal-bin,
# tested with GDAL 3.6) and PROJ's projinfo. The generated files are committed so that the tests
# do not need GDAL. Run from anywhere: sh server/hub/formats/test/binary/make-fixtures.sh
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Parcels in CGCS2000 / 3-degree GK CM 120E (EPSG:4549): a polygon with a hole, a multipolygon
# whose second part has a hole, and a feature without geometry.
cat > "$tmp/parcels.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"名称":"西湖区地块一","面积":12345.67,"编号":1,"日期":"2024-01-15","有效":true,"更新":"2024-01-15T08:30:00Z"},"geometry":{"type":"Polygon","coordinates":[[[500000,3350000],[501000,3350000],[501000,3351000],[500000,3351000],[500000,3350000]],[[500200,3350200],[500200,3350400],[500400,3350400],[500400,3350200],[500200,3350200]]]}},
{"type":"Feature","properties":{"名称":"滨江·乙","面积":0.5,"编号":2,"日期":null,"有效":false,"更新":null},"geometry":{"type":"MultiPolygon","coordinates":[[[[510000,3340000],[511000,3340000],[511000,3341000],[510000,3341000],[510000,3340000]]],[[[520000,3340000],[522000,3340000],[522000,3342000],[520000,3342000],[520000,3340000]],[[520500,3340500],[520500,3341500],[521500,3341500],[521500,3340500],[520500,3340500]]]]}},
{"type":"Feature","properties":{"名称":"无几何","面积":null,"编号":3,"日期":"2023-12-31","有效":null,"更新":"2023-12-31T23:59:59.5Z"},"geometry":null}
]}
EOF

# Points in CGCS2000 geographic (EPSG:4490) with UTF-8 text.
cat > "$tmp/points.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"杭州市","pop":12204000,"big":9007199254740993,"ratio":0.25,"founded":"0589-01-01"},"geometry":{"type":"Point","coordinates":[120.1551,30.2741]}},
{"type":"Feature","properties":{"name":"余杭区","pop":1000,"big":1,"ratio":null,"founded":null},"geometry":{"type":"Point","coordinates":[119.9785,30.2737]}},
{"type":"Feature","properties":{"name":"未定位","pop":0,"big":2,"ratio":1.5,"founded":"2000-02-29"},"geometry":null}
]}
EOF

# 3D lines in CGCS2000 / 3-degree GK zone 40 (EPSG:4528).
cat > "$tmp/lines.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road":"文一路"},"geometry":{"type":"LineString","coordinates":[[40500000,3350000,10],[40500100,3350100,12.5]]}},
{"type":"Feature","properties":{"road":"文二路"},"geometry":{"type":"MultiLineString","coordinates":[[[40500000,3350000,1],[40500010,3350010,2]],[[40600000,3360000,3],[40600010,3360010,4]]]}}
]}
EOF

rm -f gbk-parcels.* ldid-parcels.* utf8-points.* lines-z.* sample.gpkg parcels.fgb points.fgb
ogr2ogr -f "ESRI Shapefile" -a_srs EPSG:4549 -lco ENCODING=GBK gbk-parcels.shp "$tmp/parcels.geojson" -nln gbk-parcels
# Same data, code page given only by the DBF language driver id 0x4D (77, GBK), no .cpg/.prj.
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=LDID/77 ldid-parcels.shp "$tmp/parcels.geojson" -nln ldid-parcels
rm -f ldid-parcels.prj ldid-parcels.cpg
# UTF-8 DBF without .cpg: the reader must detect UTF-8 from the records.
ogr2ogr -f "ESRI Shapefile" -a_srs EPSG:4490 -lco ENCODING=UTF-8 utf8-points.shp "$tmp/points.geojson" -nln utf8-points
rm -f utf8-points.cpg
ogr2ogr -f "ESRI Shapefile" -a_srs EPSG:4528 -lco ENCODING=UTF-8 lines-z.shp "$tmp/lines.geojson" -nln lines-z

# GeoPackage: two feature layers and one attribute table.
printf 'code,label\n1,耕地\n2,林地\n' > "$tmp/codes.csv"
ogr2ogr -f GPKG -a_srs EPSG:4549 -lco SPATIAL_INDEX=NO -nln parcels sample.gpkg "$tmp/parcels.geojson"
ogr2ogr -f GPKG -update -a_srs EPSG:4528 -lco SPATIAL_INDEX=NO -nln roads sample.gpkg "$tmp/lines.geojson"
ogr2ogr -f GPKG -update -nln codes sample.gpkg "$tmp/codes.csv"
# Small pages keep the committed file small (GDAL's GeoPackage has ~20 metadata tables).
sqlite3 sample.gpkg 'PRAGMA page_size=1024; VACUUM;'

# FlatGeobuf: parcels with a spatial index (GDAL drops the feature without geometry there),
# points without index (keeps it).
ogr2ogr -f FlatGeobuf -a_srs EPSG:4549 parcels.fgb "$tmp/parcels.geojson" -nln parcels
ogr2ogr -f FlatGeobuf -a_srs EPSG:4490 -lco SPATIAL_INDEX=NO points.fgb "$tmp/points.geojson" -nln points

# .prj texts: ESRI WKT1, OGC WKT1 (GDAL) and WKT2 for the systems Yitu must recognise, in one
# JSON file { "<epsg>": { "esri": …, "ogc": …, "wkt2": … } }.
node --input-type=module -e '
import { execFileSync } from "node:child_process";
const codes = [4326, 4490, 3857, 4549, 4528, 4513, 4534, 4502, 4491, 2385, 2437, 21460, 32650];
const wkt = (code, fmt) => execFileSync("projinfo", [`EPSG:${code}`, "-o", fmt, "-q", "--single-line"], { encoding: "utf8" }).trim();
const out = {};
for (const c of codes) out[c] = { esri: wkt(c, "WKT1_ESRI"), ogc: wkt(c, "WKT1_GDAL"), wkt2: wkt(c, "WKT2_2019") };
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
' > prj-texts.json
