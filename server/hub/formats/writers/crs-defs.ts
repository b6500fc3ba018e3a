import { gaussKrugerOf } from '../../crs/gauss-kruger.ts';

/**
 * Coordinate reference system definitions the writers carry: OGC WKT 1 for GeoPackage's
 * `gpkg_spatial_ref_sys.definition` and ESRI WKT for Shapefile `.prj` files, as GDAL 3.6
 * (`gdalsrsinfo -o wkt1` / `-o wkt_esri`) writes them. Besides EPSG 4326, 4490 and 3857, all
 * CGCS2000 Gauss-Krüger projections (EPSG 4491–4554: 6° and 3° zones, with and without the zone
 * number in the false easting) are generated, since Chinese county data uses them.
 */

/** A CRS definition. */
export interface CrsDefinition {
  epsg: number;
  /** Name (GeoPackage `srs_name`). */
  name: string;
  /** OGC WKT 1. */
  wkt: string;
  /** ESRI WKT (`.prj`). */
  esriWkt: string;
  /** Short description (GeoPackage `description`). */
  description: string;
}

const WGS84_GEOG =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]';
const WGS84_ESRI =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const CGCS_GEOG =
  'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]';
const CGCS_ESRI =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const LATLON_AXES = 'AXIS["Latitude",NORTH],AXIS["Longitude",EAST]';

const FIXED: CrsDefinition[] = [
  {
    epsg: 4326,
    name: 'WGS 84 geodetic',
    wkt: `${WGS84_GEOG},${LATLON_AXES},AUTHORITY["EPSG","4326"]]`,
    esriWkt: WGS84_ESRI,
    description: 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
  },
  {
    epsg: 4490,
    name: 'China Geodetic Coordinate System 2000',
    wkt: `${CGCS_GEOG},${LATLON_AXES},AUTHORITY["EPSG","4490"]]`,
    esriWkt: CGCS_ESRI,
    description: 'longitude/latitude coordinates in decimal degrees on the CGCS2000 ellipsoid',
  },
  {
    epsg: 3857,
    name: 'WGS 84 / Pseudo-Mercator',
    wkt:
      `PROJCS["WGS 84 / Pseudo-Mercator",${WGS84_GEOG},AUTHORITY["EPSG","4326"]],PROJECTION["Mercator_1SP"],` +
      'PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],' +
      'UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],' +
      'EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],' +
      'AUTHORITY["EPSG","3857"]]',
    esriWkt:
      `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",${WGS84_ESRI},PROJECTION["Mercator_Auxiliary_Sphere"],` +
      'PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],' +
      'PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]',
    description: 'Web Mercator (spherical), metres',
  },
];

/** The CGCS2000 Gauss-Krüger definition of EPSG `epsg` (4491–4554), or undefined. */
function gaussKruger(epsg: number): CrsDefinition | undefined {
  const gk = gaussKrugerOf(epsg);
  if (gk?.datum !== 'cgcs2000') return undefined;
  const { zone, centralMeridian: cm, falseEasting: fe } = gk;
  const degree = gk.width === 3 ? '3-degree ' : '';
  const esriDegree = gk.width === 3 ? '3_Degree_' : '';
  const name = `CGCS2000 / ${degree}Gauss-Kruger ${gk.zoned ? `zone ${zone}` : `CM ${cm}E`}`;
  const esriName = `CGCS2000_${esriDegree}GK_${gk.zoned ? `Zone_${zone}` : `CM_${cm}E`}`;
  return {
    epsg,
    name,
    wkt:
      `PROJCS["${name}",${CGCS_GEOG},AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],` +
      `PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${cm}],PARAMETER["scale_factor",1],` +
      `PARAMETER["false_easting",${fe}],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],` +
      `AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","${epsg}"]]`,
    esriWkt:
      `PROJCS["${esriName}",${CGCS_ESRI},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}.0],` +
      `PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}.0],PARAMETER["Scale_Factor",1.0],` +
      'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
    description: `CGCS2000 Gauss-Kruger, central meridian ${cm}E, metres`,
  };
}

/** The definition of an EPSG code the writers know, or undefined. */
export function crsDefinition(epsg: number): CrsDefinition | undefined {
  return FIXED.find((d) => d.epsg === epsg) ?? gaussKruger(epsg);
}

/** The name inside a WKT's first `[…"name"` (for a CRS given only as WKT). */
export function wktName(wkt: string): string | undefined {
  return /^\s*[A-Z_]+\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1];
}
