/**
 * Current status (现状) networks: roads, rivers and channels, lakes and reservoirs.
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoLine, toGeoMultiPolygon, trueArea } from '../geo-output.ts';
import { field, syntheticLayer } from '../layer-kit.ts';
import { lineLength } from '../raster.ts';
import { ROAD_CLASS_ZH } from '../road-network.ts';
import type { DemoLayer } from '../types.ts';

const CHIEF_ZH = { provincial: '省级', city: '市级', county: '县级', town: '乡级' } as const;
const RIVER_KIND_ZH = { river: '河流', canal: '运河', stream: '溪流', channel: '河道' } as const;

/** `roads`: one feature per stretch inside the county. */
export function roadsLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'roads',
    title: { zh: '道路网', en: 'Road network' },
    description: {
      zh: '高速公路、国省道、县道、城镇道路和通村公路（合成，主干线走向参照实际）。',
      en: 'Expressways, national and provincial roads, county roads, town streets and village roads (synthetic; trunk roads follow the real corridors roughly).',
    },
    theme: 'current',
    department: 'transport',
    keywords: ['道路', '交通', 'road', 'transport'],
    classification: 'public',
    updateFrequency: 'yearly',
    geometryType: 'LineString',
    fields: [
      field('road_id', '道路编号', 'Road id', 'text'),
      field('ref', '路线编号', 'Route number', 'text'),
      field('name', '道路名称', 'Name', 'text'),
      field('name_en', '道路名称（英文）', 'Name (English)', 'text'),
      field('road_class', '道路等级', 'Road class', 'text'),
      field('road_class_zh', '道路等级（中文）', 'Road class (Chinese)', 'text'),
      field('lanes', '车道数', 'Lanes', 'integer'),
      field('width_m', '路面宽度', 'Width', 'number', 'm'),
      field('speed_limit', '限速', 'Speed limit', 'integer', 'km/h'),
      field('surface', '路面类型', 'Surface', 'text'),
      field('length_m', '长度', 'Length', 'number', 'm'),
      field('segment', '路段序号', 'Segment', 'integer'),
    ],
    *features() {
      for (const r of ctx.roads) {
        let seg = 0;
        for (const run of r.runs) {
          const geometry = toGeoLine(ctx.frame, run);
          if (!geometry) continue;
          yield {
            geometry,
            properties: {
              road_id: r.id, ref: r.ref, name: r.nameZh, name_en: r.nameEn, road_class: r.roadClass, road_class_zh: ROAD_CLASS_ZH[r.roadClass],
              lanes: r.lanes, width_m: r.widthM, speed_limit: r.speedKmh, surface: r.surface, length_m: round(lineLength(run), 1), segment: ++seg,
            },
          };
        }
      }
    },
  });
}

/** `rivers`. */
export function riversLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'rivers',
    title: { zh: '河流水系', en: 'Rivers and channels' },
    description: {
      zh: '东苕溪、京杭大运河等主要河流（走向参照实际）及生成的山溪和平原河网，含河长制级别。',
      en: 'Main rivers such as the East Tiaoxi and the Grand Canal (courses roughly real) and generated hill streams and plain channels, with their river-chief level.',
    },
    theme: 'current',
    department: 'water-resources',
    keywords: ['河流', '水系', '河长制', 'river', 'water'],
    classification: 'public',
    updateFrequency: 'yearly',
    geometryType: 'LineString',
    fields: [
      field('river_id', '河道编号', 'River id', 'text'),
      field('name', '河道名称', 'Name', 'text'),
      field('name_en', '河道名称（英文）', 'Name (English)', 'text'),
      field('river_type', '类型', 'Type', 'text'),
      field('river_type_zh', '类型（中文）', 'Type (Chinese)', 'text'),
      field('width_m', '平均河宽', 'Mean width', 'number', 'm'),
      field('length_m', '长度', 'Length', 'number', 'm'),
      field('river_chief_level', '河长级别', 'River chief level', 'text'),
      field('segment', '河段序号', 'Segment', 'integer'),
    ],
    *features() {
      for (const r of ctx.hydro.rivers) {
        let seg = 0;
        for (const run of r.runs) {
          const geometry = toGeoLine(ctx.frame, run);
          if (!geometry) continue;
          yield {
            geometry,
            properties: {
              river_id: r.id, name: r.nameZh, name_en: r.nameEn, river_type: r.kind, river_type_zh: RIVER_KIND_ZH[r.kind], width_m: r.widthM,
              length_m: round(lineLength(run), 1), river_chief_level: CHIEF_ZH[r.chiefLevel], segment: ++seg,
            },
          };
        }
      }
    },
  });
}

/** `lakes_reservoirs`. */
export function lakesLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'lakes_reservoirs',
    title: { zh: '湖泊水库', en: 'Lakes and reservoirs' },
    description: {
      zh: '下渚湖、对河口水库等湖泊水库（位置参照实际，形状合成）及生成的小型漾和水库。',
      en: 'Lakes and reservoirs such as Xiazhu Lake and Duihekou Reservoir (positions roughly real, shapes synthetic) and generated small lakes and reservoirs.',
    },
    theme: 'current',
    department: 'water-resources',
    keywords: ['湖泊', '水库', 'lake', 'reservoir'],
    classification: 'public',
    updateFrequency: 'yearly',
    geometryType: 'MultiPolygon',
    fields: [
      field('lake_id', '编号', 'Id', 'text'),
      field('name', '名称', 'Name', 'text'),
      field('name_en', '名称（英文）', 'Name (English)', 'text'),
      field('water_type', '类型', 'Type', 'text'),
      field('area_ha', '水面面积', 'Water area', 'number', 'ha'),
      field('normal_level_m', '正常水位', 'Normal water level', 'number', 'm'),
    ],
    *features() {
      for (const l of ctx.hydro.lakes) {
        yield {
          geometry: toGeoMultiPolygon(ctx.frame, l.multi),
          properties: {
            lake_id: l.id, name: l.nameZh, name_en: l.nameEn, water_type: l.kind === 'lake' ? '湖泊' : '水库',
            area_ha: round(trueArea(ctx.frame, l.multi) / 10_000, 2), normal_level_m: l.levelM,
          },
        };
      }
    },
  });
}
