/**
 * Sensing (感知): IoT sites (water quality of the fish ponds in the east, soil moisture, air,
 * cameras, landslide monitors in the hills…) and rain gauges (mostly in the hills).
 */
import type { DemoContext } from '../context.ts';
import { enterpriseBases } from '../enterprise-profile.ts';
import { round, toGeoPoint } from '../geo-output.ts';
import { baseName, nearestVillage } from '../hydrology.ts';
import { LAND_CLASSES } from '../land-classes.ts';
import { COVER, coverAt } from '../landscape.ts';
import { field, isoDate, isoTimestamp, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import { pointAlong } from '../line-utils.ts';
import type { Pt } from '../local-frame.ts';
import type { Parcel } from '../parcel-model.ts';
import { Rng } from '../random.ts';
import type { DemoLayer } from '../types.ts';

/** Number of IoT sites at scale 1. */
export const IOT_SITES_AT_SCALE_1 = 3500;
/** Number of rain gauges. */
export const RAIN_GAUGES = 80;

type Where = 'ponds' | 'rivers' | 'cropland' | 'urban' | 'roads' | 'hills' | 'enterprises';

interface SiteType {
  type: string;
  zh: string;
  share: number;
  where: Where;
  metrics: string[];
  interval: number;
  department: string;
}

const TYPES: SiteType[] = [
  { type: 'fishpond_water_quality', zh: '渔业养殖水质监测', share: 0.4, where: 'ponds', metrics: ['dissolved_oxygen', 'ph', 'water_temperature', 'ammonia_nitrogen'], interval: 600, department: 'agriculture-rural' },
  { type: 'river_water_quality', zh: '河道水质自动监测站', share: 0.017, where: 'rivers', metrics: ['cod_mn', 'ammonia_nitrogen', 'total_phosphorus', 'dissolved_oxygen'], interval: 3600, department: 'ecology-environment' },
  { type: 'water_level', zh: '水位站', share: 0.023, where: 'rivers', metrics: ['water_level'], interval: 300, department: 'water-resources' },
  { type: 'soil_moisture', zh: '土壤墒情监测', share: 0.07, where: 'cropland', metrics: ['soil_moisture', 'soil_temperature'], interval: 3600, department: 'agriculture-rural' },
  { type: 'pest_monitoring', zh: '虫情测报灯', share: 0.023, where: 'cropland', metrics: ['insect_count'], interval: 86400, department: 'agriculture-rural' },
  { type: 'air_quality', zh: '空气质量微站', share: 0.034, where: 'urban', metrics: ['pm2_5', 'pm10', 'no2', 'o3'], interval: 3600, department: 'ecology-environment' },
  { type: 'video_surveillance', zh: '视频监控', share: 0.23, where: 'roads', metrics: ['video'], interval: 0, department: 'public-security' },
  { type: 'smart_manhole', zh: '智能井盖', share: 0.086, where: 'urban', metrics: ['tilt', 'water_level'], interval: 900, department: 'housing-construction' },
  { type: 'waterlogging', zh: '城市积水监测', share: 0.017, where: 'urban', metrics: ['water_depth'], interval: 300, department: 'housing-construction' },
  { type: 'noise', zh: '噪声监测', share: 0.011, where: 'urban', metrics: ['noise_db'], interval: 600, department: 'ecology-environment' },
  { type: 'landslide_monitoring', zh: '地质灾害监测', share: 0.043, where: 'hills', metrics: ['displacement', 'rainfall', 'soil_moisture'], interval: 600, department: 'natural-resources-planning' },
  { type: 'forest_fire_camera', zh: '森林防火监控', share: 0.017, where: 'hills', metrics: ['video', 'smoke'], interval: 0, department: 'emergency-management' },
  { type: 'enterprise_energy', zh: '企业用能监测', share: 0.029, where: 'enterprises', metrics: ['electricity', 'gas'], interval: 900, department: 'economy-it' },
];

const VENDORS = ['海康威视', '大华股份', '聚光科技', '托普云农', '中电海康', '华为', '移动物联', '新华三'];

function weightedParcels(parcels: readonly Parcel[], keep: (p: Parcel) => boolean): { list: Parcel[]; cum: Float64Array } {
  const list = parcels.filter(keep);
  const cum = new Float64Array(list.length);
  let s = 0;
  list.forEach((p, i) => (cum[i] = s += p.areaM2));
  return { list, cum };
}

function pickWeighted(pool: { list: Parcel[]; cum: Float64Array }, u: number): Parcel | undefined {
  if (!pool.list.length) return undefined;
  const x = u * pool.cum[pool.cum.length - 1];
  let lo = 0;
  let hi = pool.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pool.cum[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return pool.list[lo];
}

function inParcel(p: Parcel, rng: Rng): Pt {
  if (p.shape) return p.center;
  return [rng.range(p.box[0] + 3, p.box[2] - 3), rng.range(p.box[1] + 3, p.box[3] - 3)];
}

/** `iot_sites`. */
export function iotSitesLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'iot_sites',
    title: { zh: '物联感知站点', en: 'IoT sites' },
    description: {
      zh: '物联网感知站点（合成）：东部鱼塘水质监测为主，另有河道水质、水位、墒情、空气、视频、井盖、地灾、森林防火、企业用能等。',
      en: 'IoT sites (synthetic): mostly water-quality sensors on the fish ponds in the east, plus river quality, water level, soil moisture, air, video, manholes, landslides, forest fire and enterprise energy.',
    },
    theme: 'sensing',
    department: 'big-data',
    keywords: ['物联网', '感知', 'IoT', 'sensor'],
    classification: 'internal',
    updateFrequency: 'realtime',
    geometryType: 'Point',
    fields: [
      field('site_id', '站点编号', 'Site id', 'text'),
      field('name', '站点名称', 'Name', 'text'),
      field('site_type', '站点类型', 'Site type', 'text'),
      field('site_type_zh', '站点类型（中文）', 'Site type (Chinese)', 'text'),
      field('metrics', '监测指标', 'Observed properties', 'json'),
      field('department', '主管部门', 'Department', 'text'),
      field('vendor', '设备厂商', 'Vendor', 'text'),
      field('install_date', '安装日期', 'Installed', 'date'),
      field('status', '运行状态', 'Status', 'text'),
      field('last_report_at', '最近上报时间', 'Last report', 'timestamp'),
      field('interval_s', '上报间隔', 'Reporting interval', 'integer', 's'),
      ...REGION_FIELDS,
    ],
    *features() {
      const rng = new Rng(ctx.seed, 'iot');
      const parcels = ctx.parcels();
      const code = (p: Parcel): string => LAND_CLASSES[p.cls].code;
      const pools = {
        ponds: weightedParcels(parcels, (p) => code(p) === '1104' && p.center[0] > ctx.terrain.frontX(p.center[1]) + 3000),
        cropland: weightedParcels(parcels, (p) => LAND_CLASSES[p.cls].groupCode === '01'),
        urban: weightedParcels(parcels, (p) => ['0701', '05H1', '1004', '08H2'].includes(code(p)) && p.cover === COVER.built && p.sub <= 2),
        hills: weightedParcels(parcels, (p) => p.cover === COVER.forest && p.elevation > 80),
      };
      const rivers = ctx.hydro.rivers.flatMap((r) => r.runs.map((run) => ({ r, run })));
      const roads = ctx.roads.flatMap((r) => r.runs);
      const enterprises = enterpriseBases(ctx).filter((e) => e.industry.energy >= 0.04);
      const total = Math.round(IOT_SITES_AT_SCALE_1 * ctx.scale);
      const shares = TYPES.map((t) => t.share);
      const sumShares = shares.reduce((a, b) => a + b, 0);
      let n = 0;
      for (const t of TYPES) {
        const count = t === TYPES[0] ? total - TYPES.slice(1).reduce((s, x) => s + Math.round((total * x.share) / sumShares), 0) : Math.round((total * t.share) / sumShares);
        for (let k = 0; k < count; k++) {
          let p: Pt;
          let label = '';
          if (t.where === 'rivers') {
            const { r, run } = rivers[rng.int(0, rivers.length - 1)];
            p = pointAlong(run, rng.next());
            label = r.nameZh;
          } else if (t.where === 'roads') {
            p = pointAlong(roads[rng.int(0, roads.length - 1)], rng.next());
          } else if (t.where === 'enterprises' && enterprises.length) {
            const e = enterprises[k % enterprises.length];
            p = e.location;
            label = e.name.replace(/有限公司$/, '');
          } else {
            const pool = pools[t.where === 'enterprises' ? 'urban' : t.where];
            const parcel = pickWeighted(pool, rng.next()) ?? parcels[rng.int(0, parcels.length - 1)];
            p = inParcel(parcel, rng);
          }
          n++;
          const village = ctx.gridAt(p[0], p[1])?.parent ?? nearestVillage(ctx.regions, p[0], p[1]);
          const status = rng.weighted(['online', 'offline', 'maintenance'], [92, 5, 3]);
          yield {
            geometry: toGeoPoint(ctx.frame, p),
            properties: {
              site_id: `IOT${String(n).padStart(7, '0')}`,
              name: `${label || baseName(village.nameZh)}${t.zh}${String(k + 1).padStart(3, '0')}`,
              site_type: t.type,
              site_type_zh: t.zh,
              metrics: t.metrics,
              department: t.department,
              vendor: rng.pick(VENDORS),
              install_date: isoDate(rng.int(2018, 2023), rng.int(0, 364)),
              status,
              last_report_at: isoTimestamp(2023, status === 'online' ? 364 : rng.int(300, 363), rng.int(0, 86399)),
              interval_s: t.interval,
              ...regionProps(village),
            },
          };
        }
      }
    },
  });
}

/** `rain_gauges`. */
export function rainGaugesLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'rain_gauges',
    title: { zh: '雨量站', en: 'Rain gauges' },
    description: {
      zh: '自动雨量站和气象站（合成），多数位于西部山区，含山洪预警阈值。',
      en: 'Automatic rain gauges and weather stations (synthetic), mostly in the western hills, with flash-flood warning thresholds.',
    },
    theme: 'sensing',
    department: 'water-resources',
    keywords: ['雨量站', '山洪', 'rain gauge', 'flash flood'],
    classification: 'public',
    updateFrequency: 'realtime',
    geometryType: 'Point',
    fields: [
      field('station_id', '测站编码', 'Station id', 'text'),
      field('name', '测站名称', 'Name', 'text'),
      field('station_type', '测站类型', 'Station type', 'text'),
      field('elevation_m', '高程', 'Elevation', 'number', 'm'),
      field('warning_1h_mm', '1小时预警雨量', '1-hour warning rainfall', 'number', 'mm'),
      field('warning_3h_mm', '3小时预警雨量', '3-hour warning rainfall', 'number', 'mm'),
      field('warning_24h_mm', '24小时预警雨量', '24-hour warning rainfall', 'number', 'mm'),
      field('operator', '管理单位', 'Operator', 'text'),
      field('install_date', '建站日期', 'Established', 'date'),
      ...REGION_FIELDS,
    ],
    *features() {
      const rng = new Rng(ctx.seed, 'rain-gauges');
      const box = ctx.regions.county.index.box;
      const placed: Pt[] = [];
      let tries = 0;
      while (placed.length < RAIN_GAUGES && tries++ < 20000) {
        const p: Pt = [rng.range(box[0], box[2]), rng.range(box[1], box[3])];
        if (!ctx.regions.county.index.contains(p[0], p[1])) continue;
        const hills = ctx.terrain.hilliness(p[0], p[1]) > 0.5;
        if (!hills && placed.length < RAIN_GAUGES * 0.75) continue;
        const cv = coverAt(ctx.land, p[0], p[1]);
        if (cv.cover === COVER.water) continue;
        const minGap = hills ? 1800 : 4000;
        if (placed.some((q) => Math.hypot(q[0] - p[0], q[1] - p[1]) < minGap)) continue;
        placed.push(p);
      }
      for (let k = 0; k < placed.length; k++) {
        const p = placed[k];
        const village = ctx.gridAt(p[0], p[1])?.parent ?? nearestVillage(ctx.regions, p[0], p[1]);
        const elev = ctx.terrain.elevation(p[0], p[1]);
        const weather = k % 6 === 0;
        const h1 = round(elev > 200 ? rng.range(30, 45) : rng.range(40, 60), 0);
        yield {
          geometry: toGeoPoint(ctx.frame, p),
          properties: {
            station_id: `6300${String(k + 1).padStart(4, '0')}`,
            name: `${baseName(village.nameZh)}${weather ? '气象站' : '雨量站'}`,
            station_type: weather ? '自动气象站' : '自动雨量站',
            elevation_m: round(elev, 1),
            warning_1h_mm: h1,
            warning_3h_mm: round(h1 * 1.6, 0),
            warning_24h_mm: round(h1 * 3.2, 0),
            operator: weather ? '德清县气象局' : '德清县水利局',
            install_date: isoDate(rng.int(2008, 2022), rng.int(0, 364)),
            ...regionProps(village),
          },
        };
      }
    },
  });
}
