/** A JSON object of an OpenAPI document. */
type OpenApiObject = Record<string, unknown>;

const problem = { $ref: '#/components/responses/problem' };
const problems = { '400': problem, '401': problem, '403': problem, '404': problem, default: problem };
const json = (description: string, schema: OpenApiObject = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const query = (name: string, description: string, schema: OpenApiObject = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const op = (tag: string, summary: string, responses: OpenApiObject, extra: OpenApiObject = {}) => ({ tags: [tag], summary, ...extra, responses: { ...responses, ...problems } });
const body = (schema: OpenApiObject, required = true) => ({ required, content: { 'application/json': { schema } } });

const SHARING = 'Sharing and grants';
const NOTIFICATIONS = 'Notifications';
const AUDIT = 'Audit trail';
const datasetId = path('id', 'Dataset id');
const requestId = path('id', 'Sharing request id');
const conflict = { '409': problem };
const limit = (max: number) => query('limit', 'Page size', { type: 'integer', minimum: 1, maximum: max });
const offset = query('offset', 'Page start', { type: 'integer', minimum: 0 });
const time = (name: string, what: string) =>
  query(name, `${what}: a date (2026-11-01; UTC day; a "to" date includes the whole day) or a date-time (2026-11-01T08:00:00+08:00; UTC without offset; a "to" date-time is exclusive)`);
const auditFilters = [
  query('actor', 'User id or user name'),
  query('department', "The actor's department id"),
  query('dataset', 'Dataset id'),
  query('action', 'An action (share.approve) or a prefix ending in "." or "*" (share.)'),
  query('outcome', 'success, failure or denied', { type: 'string', enum: ['success', 'failure', 'denied'] }),
  time('from', 'Start (inclusive)'),
  time('to', 'End'),
];
const immutable = (summary: string) => ({
  tags: [AUDIT],
  summary,
  responses: { '405': { description: 'YITU_ERR_AUDIT_IMMUTABLE: audit events are append-only', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/problem' } } } } },
});
const immutableOps = { put: immutable('Refused: the audit trail is append-only'), patch: immutable('Refused: the audit trail is append-only'), delete: immutable('Refused: the audit trail is append-only') };

const grantSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, datasetId: { type: 'string' }, department: { type: 'string', nullable: true }, userId: { type: 'string', nullable: true },
    grantedBy: { type: 'string', nullable: true }, requestId: { type: 'string', nullable: true }, reason: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' }, expiresAt: { type: 'string', format: 'date-time' }, revokedAt: { type: 'string', format: 'date-time', nullable: true },
    status: { type: 'string', enum: ['active', 'expired', 'revoked'] },
  },
};
const person = { type: 'object', properties: { id: { type: 'string' }, username: { type: 'string' }, displayName: { type: 'string' } } };
const shareRequestSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, datasetId: { type: 'string' }, datasetTitle: { type: 'object' }, datasetDepartment: { type: 'string', nullable: true },
    requester: person, department: { type: 'string' }, purpose: { type: 'string' }, days: { type: 'integer' },
    status: { type: 'string', enum: ['pending', 'approved', 'refused', 'withdrawn'] },
    decidedBy: { ...person, nullable: true }, decidedAt: { type: 'string', nullable: true }, decisionReason: { type: 'string' },
    grant: { ...grantSchema, nullable: true }, createdAt: { type: 'string', format: 'date-time' },
  },
};
const figures = { requests: { type: 'integer' }, features: { type: 'integer' } };

/** The OpenAPI paths of sharing requests, grants, notifications and the audit trail. */
export function sharingPaths(): OpenApiObject {
  return {
    '/sharing/catalog': {
      get: op(SHARING, 'Confidential datasets of other departments one may ask for (titles, department, theme only), the own and the granted ones, with the caller’s access', {
        '200': json('{datasets: [{id, title, description, department, departmentName, theme, geometryType, classification, access: own|granted|requestable, grantExpiresAt?, pendingRequestId?}]}'),
      }, { parameters: [query('q', 'Text to find in ids, titles and descriptions')] }),
    },
    '/datasets/{id}/share-requests': {
      parameters: [datasetId],
      post: op(SHARING, 'Ask for read access to a confidential dataset for one’s department; its stewards are notified', { '201': json('The sharing request (Location: /share-requests/{id})', shareRequestSchema), ...conflict }, {
        requestBody: body({ type: 'object', required: ['purpose', 'days'], properties: { purpose: { type: 'string', minLength: 10, maxLength: 2000 }, days: { type: 'integer', minimum: 1, maximum: 366 } } }),
      }),
    },
    '/share-requests': {
      get: op(SHARING, 'Sharing requests of one’s department (outgoing) or on its datasets (incoming, for stewards; all for the administrator)', {
        '200': json('{requests: ShareRequest[]}', { type: 'object', properties: { requests: { type: 'array', items: shareRequestSchema } } }),
      }, {
        parameters: [
          query('box', 'outgoing (default) or incoming', { type: 'string', enum: ['outgoing', 'incoming'] }),
          query('status', 'pending, approved, refused or withdrawn', { type: 'string', enum: ['pending', 'approved', 'refused', 'withdrawn'] }),
          query('dataset', 'Dataset id'),
          limit(500),
          offset,
        ],
      }),
    },
    '/share-requests/{id}': { parameters: [requestId], get: op(SHARING, 'One sharing request', { '200': json('The sharing request', shareRequestSchema) }) },
    '/share-requests/{id}/approve': {
      parameters: [requestId],
      post: op(SHARING, 'Approve a pending request: a grant to the requesting department that expires after days (at most those asked for)', { '200': json('The sharing request with its grant', shareRequestSchema), ...conflict }, {
        requestBody: body({ type: 'object', properties: { reason: { type: 'string', maxLength: 2000 }, days: { type: 'integer', minimum: 1, maximum: 366 } } }, false),
      }),
    },
    '/share-requests/{id}/refuse': {
      parameters: [requestId],
      post: op(SHARING, 'Refuse a pending request with a reason', { '200': json('The sharing request', shareRequestSchema), ...conflict }, {
        requestBody: body({ type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } }),
      }),
    },
    '/share-requests/{id}/withdraw': {
      parameters: [requestId],
      post: op(SHARING, 'Withdraw one’s pending request', { '200': json('The sharing request', shareRequestSchema), ...conflict }),
    },
    '/datasets/{id}/grants': {
      parameters: [datasetId],
      get: op(SHARING, 'Grants on a dataset (active, expired, revoked), for its stewards and the administrator', { '200': json('{grants: Grant[]}', { type: 'object', properties: { grants: { type: 'array', items: grantSchema } } }) }),
      post: op(SHARING, 'Grant read access to a department or a user for some days', { '201': json('The grant', grantSchema) }, {
        requestBody: body({
          type: 'object',
          required: ['days', 'reason'],
          properties: { department: { type: 'string' }, userId: { type: 'string', format: 'uuid' }, days: { type: 'integer', minimum: 1, maximum: 366 }, reason: { type: 'string', minLength: 1, maxLength: 2000 } },
        }),
      }),
    },
    '/grants/{id}': {
      parameters: [path('id', 'Grant id')],
      delete: op(SHARING, 'Revoke a grant at once', { '204': { description: 'Revoked' } }),
    },
    '/notifications': {
      get: op(NOTIFICATIONS, 'One’s notifications, newest first, and the unread count', { '200': json('{notifications: [{id, kind, title, body, link, createdAt, readAt}], unread}') }, {
        parameters: [query('unread', 'true: only unread ones', { type: 'string', enum: ['true', 'false'] }), limit(500), offset],
      }),
    },
    '/notifications/{id}/read': {
      parameters: [path('id', 'Notification id')],
      post: op(NOTIFICATIONS, 'Mark one of one’s notifications read', { '200': json('The notification') }),
    },
    '/notifications/read-all': { post: op(NOTIFICATIONS, 'Mark all of one’s notifications read', { '200': json('{marked, unread}') }) },
    '/audit': immutableOps,
    '/audit/events': {
      get: op(AUDIT, 'Search the audit trail (administrator: all; stewards, supervisors, leaders: their department’s people and datasets)', { '200': json('{events: AuditEvent[], total}') }, {
        parameters: [...auditFilters, limit(1000), offset],
      }),
      ...immutableOps,
    },
    '/audit/events/{id}': { parameters: [path('id', 'Audit event id')], get: op(AUDIT, 'One audit event', { '200': json('The event') }), ...immutableOps },
    '/audit/events.csv': {
      get: op(AUDIT, 'Export the audit trail as CSV for Excel (UTF-8 with BOM; same filters; audited as audit.export)', {
        '200': { description: 'CSV (Content-Disposition: attachment)', content: { 'text/csv': { schema: { type: 'string' } } } },
      }, { parameters: auditFilters }),
    },
    '/datasets/{id}/usage': {
      parameters: [datasetId],
      get: op(AUDIT, 'Usage figures of a dataset from the audit trail (reads), for its stewards and the administrator', {
        '200': json('{datasetId, from, to, usageCount, total: {requests, features, users, departments}, byDepartment, byUser, byAction, byDay}', {
          type: 'object',
          properties: {
            usageCount: { type: 'integer' },
            total: { type: 'object', properties: { ...figures, users: { type: 'integer' }, departments: { type: 'integer' } } },
            byDepartment: { type: 'array', items: { type: 'object', properties: { department: { type: 'string', nullable: true }, ...figures } } },
            byUser: { type: 'array', items: { type: 'object', properties: { userId: { type: 'string', nullable: true }, username: { type: 'string' }, department: { type: 'string', nullable: true }, ...figures } } },
            byAction: { type: 'array', items: { type: 'object', properties: { action: { type: 'string' }, ...figures } } },
            byDay: { type: 'array', items: { type: 'object', properties: { day: { type: 'string', format: 'date' }, ...figures } } },
          },
        }),
      }, { parameters: [time('from', 'Start (inclusive)'), time('to', 'End')] }),
    },
  };
}
