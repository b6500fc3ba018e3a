import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prjToEpsg } from './prj.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** ESRI, OGC (GDAL) WKT1 and WKT2 texts written by PROJ's projinfo (see make-fixtures.sh). */
const texts = JSON.parse(readFileSync(path.join(here, '..', 'formats', 'test', 'binary', 'prj-texts.json'), 'utf8')) as Record<
  string,
  { esri: string; ogc: string; wkt2: string }
>;

/** Removes every AUTHORITY / ID so that the parameters must decide. */
const strip = (wkt: string) => wkt.replace(/,\s*(AUTHORITY|ID)\[[^\]]*\]/g, '');

describe('prjToEpsg', () => {
  const codes = Object.keys(texts).map(Number);

  it.each(codes)('recognises the ESRI .prj of EPSG:%i', (code) => {
    expect(prjToEpsg(texts[code].esri)).toBe(code);
  });

  it.each(codes)('recognises the OGC WKT1 of EPSG:%i, with and without AUTHORITY', (code) => {
    expect(prjToEpsg(texts[code].ogc)).toBe(code);
    expect(prjToEpsg(strip(texts[code].ogc))).toBe(code);
  });

  it.each(codes)('recognises the WKT2 of EPSG:%i, with and without ID', (code) => {
    expect(prjToEpsg(texts[code].wkt2)).toBe(code);
    expect(prjToEpsg(strip(texts[code].wkt2))).toBe(code);
  });

  it('uses the numbering of the EPSG registry for all CGCS2000 GK zones', () => {
    const gk = (name: string, cm: number, fe: number) =>
      `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
    for (let zone = 25; zone <= 45; zone++) {
      expect(prjToEpsg(gk(`CGCS2000_3_Degree_GK_Zone_${zone}`, zone * 3, zone * 1e6 + 500000))).toBe(4513 + zone - 25);
      expect(prjToEpsg(gk(`CGCS2000_3_Degree_GK_CM_${zone * 3}E`, zone * 3, 500000))).toBe(4534 + zone - 25);
    }
    for (let zone = 13; zone <= 23; zone++) {
      const cm = zone * 6 - 3;
      expect(prjToEpsg(gk(`CGCS2000_GK_Zone_${zone}`, cm, zone * 1e6 + 500000))).toBe(4491 + zone - 13);
      expect(prjToEpsg(gk(`CGCS2000_GK_CM_${cm}E`, cm, 500000))).toBe(4502 + zone - 13);
    }
    expect(prjToEpsg(gk('CGCS2000_3_Degree_GK_CM_120E', 120, 500000))).toBe(4549);
    expect(prjToEpsg(gk('CGCS2000_3_Degree_GK_Zone_40', 120, 40500000))).toBe(4528);
    // A name that says nothing: 3° (the county-scale default) when the meridian is a 3° one.
    expect(prjToEpsg(gk('Custom', 117, 500000))).toBe(4548);
    // Inconsistent zone and meridian: unknown.
    expect(prjToEpsg(gk('Bad', 117, 40500000))).toBeUndefined();
  });

  it('matches variants written by other software', () => {
    // QGIS / old GDAL OGC WKT without AUTHORITY, TM method, "metre".
    expect(
      prjToEpsg(
        'PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 120E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",120],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]',
      ),
    ).toBe(4549);
    // Datum named "CGCS2000" and parentheses instead of brackets.
    expect(
      prjToEpsg(
        'PROJCS("Gauss zone 40",GEOGCS("GCS_CGCS2000",DATUM("D_CGCS2000",SPHEROID("CGCS2000",6378137,298.257222101)),PRIMEM("Greenwich",0),UNIT("Degree",0.017453292519943295)),PROJECTION("Transverse_Mercator"),PARAMETER("False_Easting",40500000),PARAMETER("False_Northing",0),PARAMETER("Central_Meridian",120),PARAMETER("Scale_Factor",1),PARAMETER("Latitude_Of_Origin",0),UNIT("Meter",1))',
      ),
    ).toBe(4528);
    expect(prjToEpsg('GEOGCS["CGCS2000",DATUM["China 2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')).toBe(4490);
    expect(prjToEpsg('\uFEFF' + texts[4326].esri + '\r\n')).toBe(4326);
    // Old ESRI Web Mercator and GDAL's Mercator_1SP on a sphere named Pseudo-Mercator.
    expect(
      prjToEpsg(
        'PROJCS["WGS_1984_Web_Mercator",GEOGCS["GCS_WGS_1984_Major_Auxiliary_Sphere",DATUM["D_WGS_1984_Major_Auxiliary_Sphere",SPHEROID["WGS_1984_Major_Auxiliary_Sphere",6378137.0,0.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["latitude_of_origin",0.0],UNIT["Meter",1.0]]',
      ),
    ).toBe(3857);
    // Xian 1980 and Beijing 1954 3° zones.
    expect(prjToEpsg(texts[2385].esri.replace('_CM_120E', '_Zone_40').replace('500000.0', '40500000.0'))).toBe(2364);
    expect(prjToEpsg(texts[2437].esri.replace('_CM_120E', '_Zone_40').replace('500000.0', '40500000.0'))).toBe(2416);
  });

  it('prefers the root AUTHORITY and returns undefined for unknown systems', () => {
    expect(prjToEpsg(texts[4549].ogc.replace(/AUTHORITY\["EPSG","4549"\]\]$/, 'AUTHORITY["EPSG","4547"]]'))).toBe(4547);
    expect(prjToEpsg('LOCAL_CS["engineering"]')).toBeUndefined();
    expect(prjToEpsg('not wkt at all [[[')).toBeUndefined();
    expect(prjToEpsg('')).toBeUndefined();
    // Krassowsky GK zone without a Beijing datum name (Pulkovo 1942 has the same parameters).
    expect(prjToEpsg(texts[2437].esri.replace(/Beijing_1954/g, 'Pulkovo_1942'))).toBeUndefined();
    // Feet instead of metres.
    expect(prjToEpsg(strip(texts[4549].ogc).replace('UNIT["metre",1]]', 'UNIT["US survey foot",0.304800609601219]]'))).toBeUndefined();
  });
});
