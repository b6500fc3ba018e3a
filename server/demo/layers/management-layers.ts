/**
 * Management (管理): construction land approvals (建设用地审批) inside the development boundary,
 * and satellite change-detection patches (卫片执法图斑) — some of them on permanent basic farmland,
 * the supervisor's "building on farmland" cases.
 */
import type { DemoContext } from '../context.ts';
import { round, toGeoPolygon, toMu } from '../geo-output.ts';
import { isConstruction, LAND_CLASSES } from '../land-classes.ts';
import { field, isoDate, REGION_FIELDS, regionProps, syntheticLayer } from '../layer-kit.ts';
import { parcelShape } from '../parcel-model.ts';
import { isBasicFarmland, touchesZones } from '../planning-zones.ts';
import type { Ring } from '../polygon-ops.ts';
import { hashUnit, Rng } from '../random.ts';
import type { DemoLayer } from '../types.ts';
import { isCultivated } from './spatial-planning-layers.ts';

/** Number of construction land approvals. */
export const APPROVALS = 300;
/** Number of change-detection patches. */
export const CHANGE_PATCHES = 400;

/** `land_approvals`. */
export function landApprovalsLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'land_approvals',
    title: { zh: '建设用地审批', en: 'Construction land approvals' },
    description: {
      zh: '建设项目用地审批与供地（合成），位于城镇开发边界内的建设用地图斑。',
      en: 'Construction land approvals and supply (synthetic), on construction parcels inside the development boundary.',
    },
    theme: 'management',
    department: 'natural-resources-planning',
    keywords: ['用地审批', '供地', 'land approval', 'project'],
    classification: 'public',
    updateFrequency: 'monthly',
    geometryType: 'Polygon',
    fields: [
      field('approval_id', '批准文号', 'Approval number', 'text'),
      field('project_name', '项目名称', 'Project', 'text'),
      field('land_use', '土地用途', 'Land use', 'text'),
      field('supply_method', '供地方式', 'Supply method', 'text'),
      field('area_m2', '面积', 'Area', 'number', 'm²'),
      field('area_mu', '面积（亩）', 'Area (mu)', 'number', '亩'),
      field('price', '成交价', 'Price', 'number', '万元'),
      field('approval_date', '批准日期', 'Approved on', 'date'),
      field('status', '项目状态', 'Status', 'text'),
      field('parcel_id', '图斑编号', 'Parcel id', 'text'),
      ...REGION_FIELDS,
    ],
    *features() {
      const rng = new Rng(ctx.seed, 'approvals');
      const zones = ctx.zones();
      const pool = ctx.parcels().filter((p) => !p.shape && isConstruction(p.cls) && touchesZones(zones.urbanBoundary, p.box, p.center));
      const chosen = new Set<number>();
      for (let k = 0; k < APPROVALS && chosen.size < pool.length; k++) {
        let i = rng.int(0, pool.length - 1);
        while (chosen.has(i)) i = (i + 1) % pool.length;
        chosen.add(i);
        const p = pool[i];
        const c = LAND_CLASSES[p.cls];
        const year = rng.int(2019, 2023);
        const sale = ['05H1', '0701', '0601', '0508'].includes(c.code);
        const mu = toMu(p.areaM2);
        const geometry = toGeoPolygon(ctx.frame, parcelShape(p));
        if (!geometry || geometry.type !== 'Polygon') continue;
        const place = p.village.nameZh.replace(/(社区|村)$/, '');
        const project =
          c.code === '0701' ? `${place}安置小区项目` : c.code === '0601' ? `年产${rng.int(2, 50)}万件${rng.pick(['汽车零部件', '智能装备', '新型材料', '地板', '光伏组件'])}项目` : c.code === '05H1' ? `${place}商业综合体项目` : `${place}${c.nameZh.replace(/用地$/, '')}项目`;
        yield {
          geometry,
          properties: {
            approval_id: `德自然资规〔${year}〕${rng.int(1, 400)}号`,
            project_name: project,
            land_use: c.nameZh,
            supply_method: sale ? '出让' : '划拨',
            area_m2: round(p.areaM2, 2),
            area_mu: round(mu, 3),
            price: sale ? round(mu * (c.code === '0601' ? rng.range(15, 30) : rng.range(120, 400)), 1) : 0,
            approval_date: isoDate(year, rng.int(0, 364)),
            status: rng.weighted(['已批', '已供', '已开工', '已竣工'], [15, 25, 35, 25]),
            parcel_id: p.id,
            ...regionProps(p.village),
          },
        };
      }
    },
  });
}

/** `change_detection_patches`. */
export function changePatchesLayer(ctx: DemoContext): DemoLayer {
  return syntheticLayer({
    id: 'change_detection_patches',
    title: { zh: '卫片执法图斑', en: 'Change-detection patches' },
    description: {
      zh: '卫星遥感监测变化图斑（合成）：新增建设、推填土、大棚房等，标注是否位于永久基本农田和生态保护红线内。',
      en: 'Satellite change-detection patches (synthetic): new construction, earthworks, greenhouse houses…, flagged when on permanent basic farmland or in the red line.',
    },
    theme: 'management',
    department: 'natural-resources-planning',
    keywords: ['卫片执法', '变化检测', '耕地保护', 'change detection', 'enforcement'],
    classification: 'confidential',
    // Enforcement leads (卫片执法): not listed in the sharing catalog.
    shareable: false,
    updateFrequency: 'quarterly',
    geometryType: 'Polygon',
    fields: [
      field('patch_id', '图斑编号', 'Patch id', 'text'),
      field('change_type', '变化类型', 'Change type', 'text'),
      field('detected_date', '监测日期', 'Detected on', 'date'),
      field('area_m2', '面积', 'Area', 'number', 'm²'),
      field('on_basic_farmland', '占用永久基本农田', 'On basic farmland', 'boolean'),
      field('in_red_line', '位于生态保护红线', 'In the red line', 'boolean'),
      field('in_urban_boundary', '位于城镇开发边界', 'In the development boundary', 'boolean'),
      field('verification', '核查结论', 'Verification', 'text'),
      field('case_status', '处置状态', 'Case status', 'text'),
      field('parcel_id', '所在图斑', 'Parcel id', 'text'),
      ...REGION_FIELDS,
    ],
    *features() {
      const rng = new Rng(ctx.seed, 'change-patches');
      const zones = ctx.zones();
      const parcels = ctx.parcels().filter((p) => !p.shape && LAND_CLASSES[p.cls].groupCode !== '11');
      for (let k = 0; k < CHANGE_PATCHES && parcels.length; k++) {
        const p = parcels[rng.int(0, parcels.length - 1)];
        const [x0, y0, x1, y1] = p.box;
        const w = Math.min(x1 - x0 - 4, rng.range(12, 60));
        const h = Math.min(y1 - y0 - 4, rng.range(12, 60));
        const cx = rng.range(x0 + 2 + w / 2, x1 - 2 - w / 2);
        const cy = rng.range(y0 + 2 + h / 2, y1 - 2 - h / 2);
        const ring: Ring = [[cx - w / 2, cy - h / 2], [cx + w / 2, cy - h / 2], [cx + w / 2, cy + h / 2], [cx - w / 2, cy + h / 2]];
        const geometry = toGeoPolygon(ctx.frame, [[ring]]);
        if (!geometry || geometry.type !== 'Polygon') continue;
        const farmland = isBasicFarmland(p, zones, isCultivated, hashUnit(ctx.seed, 201, p.box[0] | 0, p.box[1] | 0));
        const type = farmland || isCultivated(p.cls)
          ? rng.weighted(['新增建设用地', '推填土', '疑似大棚房', '设施农用地', '挖塘养殖'], [30, 25, 15, 20, 10])
          : rng.weighted(['新增建设用地', '拆除', '推填土', '道路施工'], [45, 20, 20, 15]);
        const verification = rng.weighted(['待核查', '合法', '违法'], farmland ? [30, 20, 50] : [30, 50, 20]);
        yield {
          geometry,
          properties: {
            patch_id: `WP2023${String(k + 1).padStart(5, '0')}`,
            change_type: type,
            detected_date: isoDate(2023, rng.int(0, 364)),
            area_m2: round(w * h * ctx.frame.areaFactor(cy), 1),
            on_basic_farmland: farmland,
            in_red_line: touchesZones(zones.redLine, [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], [cx, cy]),
            in_urban_boundary: touchesZones(zones.urbanBoundary, [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], [cx, cy]),
            verification,
            case_status: verification === '违法' ? rng.weighted(['已立案', '整改中', '已整改'], [30, 30, 40]) : verification === '合法' ? '无需处置' : '未处置',
            parcel_id: p.id,
            ...regionProps(p.village),
          },
        };
      }
    },
  });
}
