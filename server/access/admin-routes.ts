import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { originOf } from './auth-hook.ts';
import { departmentPatchSchema, newDepartmentSchema } from './departments.ts';
import { forbidden } from './guard.ts';
import { departmentIdSchema, type Principal, ROLE_TITLES, ROLES, usernameSchema } from './model.ts';
import { parseInput } from './zod-input.ts';
import { generatePassword } from './passwords.ts';
import { canAdminister } from './policy.ts';

const role = z.enum(ROLES);
const text = (max: number) => z.string().trim().max(max);
const regionCodes = z.array(z.string().regex(/^[0-9]{6,15}$/, 'a region code of 6–15 digits')).max(500);

const newUserSchema = z
  .object({
    username: usernameSchema,
    displayName: text(200).optional(),
    email: text(200).optional(),
    phone: text(50).optional(),
    department: departmentIdSchema.nullable().optional(),
    roles: z.array(role).max(ROLES.length),
    regionCodes: regionCodes.optional(),
    password: z.string().min(1).max(1024).optional(),
  })
  .strict();

const userPatchSchema = z
  .object({
    displayName: text(200).optional(),
    email: text(200).optional(),
    phone: text(50).optional(),
    department: departmentIdSchema.nullable().optional(),
    roles: z.array(role).max(ROLES.length).optional(),
    regionCodes: regionCodes.optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

const userQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    department: departmentIdSchema.optional(),
    role: role.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** Throws 401 for the anonymous and 403 for anyone but an administrator. */
function assertAdmin(p: Principal): void {
  if (!canAdminister(p)) throw forbidden(p, 'Only an administrator manages users and departments.');
}

/**
 * Administration of users and departments, and the role list: `GET/POST /users`,
 * `GET/PATCH /users/:id`, `POST /users/:id/password`, `DELETE /users/:id/sessions` (administrator);
 * `GET /departments`, `GET /departments/:id` (anyone), `POST /departments`, `PATCH
 * /departments/:id` (administrator); `GET /roles` (anyone). Every write is on the audit trail.
 */
export async function adminRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { accounts, departments, audit } = opts.services;
  const record = (req: FastifyRequest, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}) =>
    audit.record({ principal: req.principal, origin: originOf(req), action, targetType, targetId, details });

  app.get('/users', async (req) => {
    assertAdmin(req.principal);
    const q = parseInput(userQuerySchema, req.query, 'YITU_ERR_QUERY_PARAM_INVALID');
    return accounts.listUsers(q);
  });

  app.post('/users', async (req, reply) => {
    assertAdmin(req.principal);
    const b = parseInput(newUserSchema, req.body, 'YITU_ERR_USER_INVALID');
    const generated = b.password === undefined;
    const password = b.password ?? generatePassword();
    const user = await accounts.createUser({ ...b, password, skipRules: generated, mustChangePassword: generated });
    await record(req, 'user.create', 'user', user.id, { username: user.username, roles: user.roles, department: user.department });
    return reply.status(201).header('cache-control', 'no-store').send(generated ? { user, password } : { user });
  });

  app.get<{ Params: { id: string } }>('/users/:id', async (req) => {
    assertAdmin(req.principal);
    return accounts.getUser(req.params.id);
  });

  app.patch<{ Params: { id: string } }>('/users/:id', async (req) => {
    assertAdmin(req.principal);
    const b = parseInput(userPatchSchema, req.body, 'YITU_ERR_USER_INVALID');
    const before = await accounts.getUser(req.params.id);
    const user = await accounts.updateUser(req.params.id, b);
    const changed = Object.fromEntries(
      Object.keys(b).map((k) => [k, { from: before[k as keyof typeof before], to: user[k as keyof typeof user] }]),
    );
    await record(req, 'user.update', 'user', user.id, { username: user.username, changed });
    return user;
  });

  app.post<{ Params: { id: string } }>('/users/:id/password', async (req, reply) => {
    assertAdmin(req.principal);
    const user = await accounts.getUser(req.params.id);
    const password = await accounts.setPassword(user.id, { mustChange: true });
    await record(req, 'user.password_reset', 'user', user.id, { username: user.username });
    return reply.header('cache-control', 'no-store').send({ password });
  });

  app.delete<{ Params: { id: string } }>('/users/:id/sessions', async (req, reply) => {
    assertAdmin(req.principal);
    const ended = await accounts.endSessions(req.params.id);
    await record(req, 'user.update', 'user', req.params.id, { sessionsEnded: ended });
    return reply.status(204).send();
  });

  app.get('/departments', async () => ({ departments: await departments.list() }));

  app.get<{ Params: { id: string } }>('/departments/:id', async (req) => departments.get(req.params.id));

  app.post('/departments', async (req, reply) => {
    assertAdmin(req.principal);
    const d = await departments.create(parseInput(newDepartmentSchema, req.body, 'YITU_ERR_DEPARTMENT_INVALID'));
    await record(req, 'department.create', 'department', d.id, { name: d.name, kind: d.kind, regionCodes: d.regionCodes });
    return reply.status(201).send(d);
  });

  app.patch<{ Params: { id: string } }>('/departments/:id', async (req) => {
    assertAdmin(req.principal);
    const b = parseInput(departmentPatchSchema, req.body, 'YITU_ERR_DEPARTMENT_INVALID');
    const d = await departments.update(req.params.id, b);
    await record(req, 'department.update', 'department', d.id, { changed: b });
    return d;
  });

  app.get('/roles', async () => ({ roles: ROLES.map((id) => ({ id, title: ROLE_TITLES[id] })) }));
}
