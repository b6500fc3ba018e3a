/** A JSON object of an OpenAPI document. */
type OpenApiObject = Record<string, unknown>;

const problem = { $ref: '#/components/responses/problem' };
const problems = { '400': problem, '401': problem, '403': problem, '404': problem, default: problem };
const json = (description: string, headers?: OpenApiObject) => ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: { type: 'object' } } } });
const noContent = { description: 'Done (no content)' };
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const op = (tag: string, summary: string, responses: OpenApiObject, extra: OpenApiObject = {}) => ({ tags: [tag], summary, ...extra, responses: { ...responses, ...problems } });
const body = (properties: OpenApiObject, required: string[] = []) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', required, properties, additionalProperties: false } } },
});

const AUTH = 'Sign-in';
const ADMIN = 'Administration';
const str = { type: 'string' };
const strings = { type: 'array', items: str };
const roles = { type: 'array', items: { type: 'string', enum: ['administrator', 'data_steward', 'analyst', 'supervisor', 'case_handler', 'grid_worker', 'leader'] } };
const name = { type: 'object', required: ['zh'], properties: { zh: str, en: str } };
const kind = { type: 'string', enum: ['county', 'bureau', 'town'] };
const userId = path('id', 'User id (uuid)');
const departmentId = path('id', 'Department id');
const retryAfter = { 'Retry-After': { description: 'Seconds until the next try', schema: { type: 'integer' } } };
const csrf = { name: 'X-CSRF-Token', in: 'header', required: false, description: 'The session\'s CSRF token (GET /auth/session), needed on unsafe requests made with the session cookie', schema: str };

/** The OpenAPI paths of accounts, sign-in and administration. */
export function accountPaths(): OpenApiObject {
  return {
    '/auth/sign-in': {
      post: op(AUTH, 'Sign in with a user name and password: sets the HttpOnly session cookie yitu_session', {
        '200': json('{user, csrfToken, expiresAt} and the cookie'),
        '429': { description: 'Locked after too many failed sign-ins (YITU_ERR_SIGN_IN_LOCKED), or too many from this address (YITU_ERR_RATE_LIMITED)', headers: retryAfter, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/problem' } } } },
      }, { requestBody: body({ username: str, password: { type: 'string', format: 'password' } }, ['username', 'password']) }),
    },
    '/auth/sign-out': { post: op(AUTH, 'End the session and clear the cookie', { '204': noContent }, { parameters: [csrf] }) },
    '/auth/session': {
      get: op(AUTH, 'Who is signed in: {authenticated, user, department, csrfToken, expiresAt, permissions}', { '200': json('{authenticated: false} or the session') }),
    },
    '/auth/password': {
      post: op(AUTH, 'Change one\'s own password (ends the other sessions)', { '204': noContent }, {
        parameters: [csrf],
        requestBody: body({ currentPassword: { type: 'string', format: 'password' }, newPassword: { type: 'string', format: 'password', minLength: 10 } }, ['currentPassword', 'newPassword']),
      }),
    },
    '/auth/tokens': {
      get: op(AUTH, 'One\'s own API tokens (without their secrets)', { '200': json('{tokens: [{id, name, createdAt, expiresAt, lastUsedAt, revokedAt}]}') }),
      post: op(AUTH, 'Create an API token: the token is shown once, send it as "Authorization: Bearer yitu_…"', { '201': json('{id, name, token, expiresAt}') }, {
        parameters: [csrf],
        requestBody: body({ name: str, days: { type: 'integer', minimum: 1, maximum: 3650, description: 'Days until it expires (default: never)' } }, ['name']),
      }),
    },
    '/auth/tokens/{id}': {
      parameters: [path('id', 'Token id')],
      delete: op(AUTH, 'Revoke one of one\'s own API tokens', { '204': noContent }, { parameters: [csrf] }),
    },
    '/users': {
      get: op(ADMIN, 'List users (administrator)', { '200': json('{users, total}') }, {
        parameters: [
          query('q', 'Text in the user name, display name or e-mail'),
          query('department', 'Department id'),
          query('role', 'Role', roles.items),
          query('limit', 'Page size (at most 1000)', { type: 'integer', minimum: 1, maximum: 1000 }),
          query('offset', 'Page start', { type: 'integer', minimum: 0 }),
        ],
      }),
      post: op(ADMIN, 'Create a user (administrator); without a password a one-time password is generated and returned once', { '201': json('{user, password?}'), '409': problem }, {
        requestBody: body({ username: str, displayName: str, email: str, phone: str, department: { type: 'string', nullable: true }, roles, regionCodes: strings, password: { type: 'string', format: 'password' } }, ['username', 'roles']),
      }),
    },
    '/users/{id}': {
      parameters: [userId],
      get: op(ADMIN, 'Read a user (administrator)', { '200': json('The user') }),
      patch: op(ADMIN, 'Change a user: names, department, roles, regions, disabled (administrator; the last administrator stays)', { '200': json('The user'), '409': problem }, {
        requestBody: body({ displayName: str, email: str, phone: str, department: { type: 'string', nullable: true }, roles, regionCodes: strings, disabled: { type: 'boolean' } }),
      }),
    },
    '/users/{id}/password': {
      parameters: [userId],
      post: op(ADMIN, 'Reset a user\'s password to a generated one, to change at the next sign-in (administrator)', { '200': json('{password}') }),
    },
    '/users/{id}/sessions': {
      parameters: [userId],
      delete: op(ADMIN, 'End all sessions of a user (administrator)', { '204': noContent }),
    },
    '/departments': {
      get: op(ADMIN, 'List departments with their jurisdiction and case categories', { '200': json('{departments}') }),
      post: op(ADMIN, 'Create a department (administrator)', { '201': json('The department'), '409': problem }, {
        requestBody: body({ id: str, name, kind, regionCodes: strings, caseCategories: strings }, ['id', 'name']),
      }),
    },
    '/departments/{id}': {
      parameters: [departmentId],
      get: op(ADMIN, 'Read a department', { '200': json('The department') }),
      patch: op(ADMIN, 'Change a department (administrator)', { '200': json('The department') }, { requestBody: body({ name, kind, regionCodes: strings, caseCategories: strings }) }),
    },
    '/roles': { get: op(ADMIN, 'The roles with their titles', { '200': json('{roles: [{id, title: {zh, en}}]}') }) },
  };
}
