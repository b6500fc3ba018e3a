import { z } from 'zod';
import type { Db, Queryable } from '../platform/db.ts';
import { type ErrorCode, YituError } from '../platform/errors.ts';
import { type Department, departmentIdSchema } from './model.ts';
import type { AccessGuard } from './guard.ts';

/** Kinds of department: the county government, a bureau, a town's office. */
export const DEPARTMENT_KINDS = ['county', 'bureau', 'town'] as const;

const nameSchema = z.object({ zh: z.string().trim().min(1).max(200), en: z.string().trim().max(200).default('') }).strict();
const codesSchema = z.array(z.string().regex(/^[0-9]{6,15}$/, 'a region code of 6–15 digits')).max(500);
const categoriesSchema = z.array(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a case category code such as land.illegal_building')).max(200);

/** The body of `POST /departments`. */
export const newDepartmentSchema = z
  .object({
    id: departmentIdSchema,
    name: nameSchema,
    kind: z.enum(DEPARTMENT_KINDS).default('bureau'),
    regionCodes: codesSchema.default([]),
    caseCategories: categoriesSchema.default([]),
  })
  .strict();

/** The body of `PATCH /departments/:id`. */
export const departmentPatchSchema = z
  .object({ name: nameSchema.optional(), kind: z.enum(DEPARTMENT_KINDS).optional(), regionCodes: codesSchema.optional(), caseCategories: categoriesSchema.optional() })
  .strict();

/** A new department. */
export type NewDepartment = z.infer<typeof newDepartmentSchema>;
/** Changes to a department. */
export type DepartmentPatch = z.infer<typeof departmentPatchSchema>;

interface DepartmentRow {
  id: string;
  name_zh: string;
  name_en: string;
  kind: Department['kind'];
  region_codes: string[];
  case_categories: string[];
}

const COLUMNS = 'id, name_zh, name_en, kind, region_codes, case_categories';

function toDepartment(r: DepartmentRow): Department {
  return { id: r.id, name: { zh: r.name_zh, en: r.name_en }, kind: r.kind, regionCodes: r.region_codes, caseCategories: r.case_categories };
}

/** Throws `code` (a 400) naming the region codes that are not in `yitu.regions`. */
export async function checkRegionCodes(q: Queryable, codes: readonly string[], code: ErrorCode): Promise<void> {
  const unique = [...new Set(codes)];
  if (!unique.length) return;
  const r = await q.query<{ code: string }>('SELECT code FROM yitu.regions WHERE code = ANY($1::text[])', [unique]);
  const known = new Set(r.rows.map((x) => x.code));
  const missing = unique.filter((c) => !known.has(c));
  if (missing.length) {
    throw new YituError(code, `Unknown region code${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}: use codes of loaded regions (GET /regions).`);
  }
}

/** Departments with their jurisdiction (region codes) and the case categories they handle. */
export class DepartmentService {
  constructor(
    private readonly db: Db,
    private readonly guard: AccessGuard,
  ) {}

  /** All departments, by id. */
  async list(): Promise<Department[]> {
    const r = await this.db.query<DepartmentRow>(`SELECT ${COLUMNS} FROM yitu.departments ORDER BY kind, id`);
    return r.rows.map(toDepartment);
  }

  /** One department, or null. */
  async find(id: string): Promise<Department | null> {
    const r = await this.db.query<DepartmentRow>(`SELECT ${COLUMNS} FROM yitu.departments WHERE id = $1`, [id]);
    return r.rows[0] ? toDepartment(r.rows[0]) : null;
  }

  /** One department; YITU_ERR_DEPARTMENT_NOT_FOUND when there is none. */
  async get(id: string): Promise<Department> {
    const d = await this.find(id);
    if (!d) throw new YituError('YITU_ERR_DEPARTMENT_NOT_FOUND', `There is no department '${id.slice(0, 64)}'. GET /departments lists them.`);
    return d;
  }

  /** Creates a department; YITU_ERR_CONFLICT when the id is taken. */
  async create(d: NewDepartment): Promise<Department> {
    await checkRegionCodes(this.db, d.regionCodes, 'YITU_ERR_DEPARTMENT_INVALID');
    if (await this.find(d.id)) throw new YituError('YITU_ERR_CONFLICT', `There is already a department '${d.id}'; change it with PATCH /departments/${d.id}.`);
    const r = await this.db.query<DepartmentRow>(
      `INSERT INTO yitu.departments (id, name_zh, name_en, kind, region_codes, case_categories)
       VALUES ($1, $2, $3, $4, $5::text[], $6::text[]) RETURNING ${COLUMNS}`,
      [d.id, d.name.zh, d.name.en, d.kind, [...new Set(d.regionCodes)], [...new Set(d.caseCategories)]],
    );
    return toDepartment(r.rows[0]);
  }

  /** Changes a department; a new jurisdiction takes effect at once for its people. */
  async update(id: string, patch: DepartmentPatch): Promise<Department> {
    await this.get(id);
    if (patch.regionCodes) await checkRegionCodes(this.db, patch.regionCodes, 'YITU_ERR_DEPARTMENT_INVALID');
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (col: string, v: unknown, cast = '') => sets.push(`${col} = $${params.push(v)}${cast}`);
    if (patch.name) {
      set('name_zh', patch.name.zh);
      set('name_en', patch.name.en);
    }
    if (patch.kind) set('kind', patch.kind);
    if (patch.regionCodes) set('region_codes', [...new Set(patch.regionCodes)], '::text[]');
    if (patch.caseCategories) set('case_categories', [...new Set(patch.caseCategories)], '::text[]');
    const r = await this.db.query<DepartmentRow>(`UPDATE yitu.departments SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params);
    this.guard.forget();
    return toDepartment(r.rows[0]);
  }
}
