/**
 * The one error catalogue of Yitu. Every error a person or a client can see has a code here,
 * an HTTP status and a title; the detail is written where the error is raised and says what is
 * wrong, where, and what to do. Errors are returned as RFC 9457 problem+json on HTTP and as a
 * message with a non-zero exit code on the CLI.
 */

/** One entry of the catalogue. */
export interface ErrorSpec {
  /** HTTP status the error maps to. */
  status: number;
  /** Short, stable title (RFC 9457 `title`). */
  title: string;
}

/** The catalogue: `YITU_ERR_<AREA>_<WHAT>`. */
export const ERRORS = {
  // platform / generic input
  YITU_ERR_INPUT_INVALID: { status: 400, title: 'Invalid input' },
  YITU_ERR_NOT_FOUND: { status: 404, title: 'Not found' },
  YITU_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  YITU_ERR_NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  YITU_ERR_CONFLICT: { status: 409, title: 'Conflict' },
  YITU_ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  YITU_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  YITU_ERR_INTERNAL: { status: 500, title: 'Internal error' },
  YITU_ERR_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  YITU_ERR_CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
  YITU_ERR_DB_UNAVAILABLE: { status: 503, title: 'Database unavailable' },

  // regions
  YITU_ERR_REGION_NOT_FOUND: { status: 404, title: 'Region not found' },
  YITU_ERR_REGION_INVALID: { status: 400, title: 'Invalid region' },

  // hub: datasets and imports
  YITU_ERR_DATASET_NOT_FOUND: { status: 404, title: 'Dataset not found' },
  YITU_ERR_DATASET_EXISTS: { status: 409, title: 'Dataset already exists' },
  YITU_ERR_DATASET_ID_INVALID: { status: 400, title: 'Invalid dataset id' },
  YITU_ERR_DATASET_NOT_EDITABLE: { status: 403, title: 'Dataset is not editable' },
  YITU_ERR_DATASET_METADATA_INVALID: { status: 400, title: 'Invalid dataset metadata' },
  YITU_ERR_VERSION_NOT_FOUND: { status: 404, title: 'Version not found' },
  YITU_ERR_FEATURE_NOT_FOUND: { status: 404, title: 'Feature not found' },
  YITU_ERR_IMPORT_FORMAT_UNKNOWN: { status: 415, title: 'Unknown file format' },
  YITU_ERR_IMPORT_FILE_EMPTY: { status: 400, title: 'The file is empty' },
  YITU_ERR_IMPORT_FILE_TOO_LARGE: { status: 413, title: 'The file is too large' },
  YITU_ERR_IMPORT_FILE_MALFORMED: { status: 400, title: 'The file is malformed' },
  YITU_ERR_IMPORT_ENCODING: { status: 400, title: 'Unreadable text encoding' },
  YITU_ERR_IMPORT_ZIP_UNSAFE: { status: 400, title: 'Unsafe zip archive' },
  YITU_ERR_IMPORT_ROWS_INVALID: { status: 400, title: 'Some rows cannot be read' },
  YITU_ERR_IMPORT_NO_FEATURES: { status: 400, title: 'No features in the file' },
  YITU_ERR_IMPORT_SCHEMA_MISMATCH: { status: 400, title: 'The file does not match the dataset' },
  YITU_ERR_IMPORT_KEY_INVALID: { status: 400, title: 'Invalid upsert key' },
  YITU_ERR_IMPORT_CANCELLED: { status: 409, title: 'Import cancelled' },
  YITU_ERR_CRS_UNKNOWN: { status: 400, title: 'Unknown coordinate reference system' },
  YITU_ERR_CRS_UNSUPPORTED: { status: 400, title: 'Unsupported coordinate reference system' },
  YITU_ERR_COORDS_OUT_OF_RANGE: { status: 400, title: 'Coordinates out of range' },
  YITU_ERR_EXPORT_FORMAT_UNKNOWN: { status: 400, title: 'Unknown export format' },
  YITU_ERR_STATS_INVALID: { status: 400, title: 'Invalid statistical table' },

  // jobs
  YITU_ERR_JOB_NOT_FOUND: { status: 404, title: 'Job not found' },

  // features API
  YITU_ERR_QUERY_PARAM_INVALID: { status: 400, title: 'Invalid query parameter' },
  YITU_ERR_BBOX_INVALID: { status: 400, title: 'Invalid bbox' },
  YITU_ERR_DATETIME_INVALID: { status: 400, title: 'Invalid datetime' },
  YITU_ERR_FILTER_INVALID: { status: 400, title: 'Invalid filter' },
  YITU_ERR_FILTER_PROPERTY_UNKNOWN: { status: 400, title: 'Unknown property in filter' },
  YITU_ERR_FILTER_LANG_UNSUPPORTED: { status: 400, title: 'Unsupported filter language' },
  YITU_ERR_FEATURE_INVALID: { status: 400, title: 'Invalid feature' },
  YITU_ERR_PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },

  // map: styles and saved maps
  YITU_ERR_STYLE_INVALID: { status: 400, title: 'Invalid layer style' },
  YITU_ERR_MAP_NOT_FOUND: { status: 404, title: 'Map not found' },
  YITU_ERR_MAP_INVALID: { status: 400, title: 'Invalid map' },

  // access: who, what they may do, sharing, audit
  YITU_ERR_AUTH_REQUIRED: { status: 401, title: 'Sign-in required' },
  YITU_ERR_SIGN_IN_FAILED: { status: 401, title: 'Sign-in failed' },
  YITU_ERR_SIGN_IN_LOCKED: { status: 429, title: 'Too many failed sign-ins' },
  YITU_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  YITU_ERR_FORBIDDEN: { status: 403, title: 'Not allowed' },
  YITU_ERR_CSRF: { status: 403, title: 'Missing or invalid CSRF token' },
  YITU_ERR_PASSWORD_WEAK: { status: 400, title: 'Password does not meet the rules' },
  YITU_ERR_USER_NOT_FOUND: { status: 404, title: 'User not found' },
  YITU_ERR_USER_EXISTS: { status: 409, title: 'User already exists' },
  YITU_ERR_USER_INVALID: { status: 400, title: 'Invalid user' },
  YITU_ERR_DEPARTMENT_NOT_FOUND: { status: 404, title: 'Department not found' },
  YITU_ERR_DEPARTMENT_INVALID: { status: 400, title: 'Invalid department' },
  YITU_ERR_TOKEN_NOT_FOUND: { status: 404, title: 'API token not found' },
  YITU_ERR_SHARE_REQUEST_NOT_FOUND: { status: 404, title: 'Sharing request not found' },
  YITU_ERR_SHARE_REQUEST_INVALID: { status: 400, title: 'Invalid sharing request' },
  YITU_ERR_GRANT_NOT_FOUND: { status: 404, title: 'Grant not found' },
  YITU_ERR_AUDIT_IMMUTABLE: { status: 405, title: 'Audit events cannot be changed' },
  YITU_ERR_NOTIFICATION_NOT_FOUND: { status: 404, title: 'Notification not found' },
} as const satisfies Record<string, ErrorSpec>;

/** A code of the catalogue. */
export type ErrorCode = keyof typeof ERRORS;

/** One located problem inside an input (a row of a file, a token of a filter…). */
export interface ErrorLocation {
  /** 1-based row or feature number in the file, where it applies. */
  row?: number;
  /** Field (column, property) name, where it applies. */
  field?: string;
  /** Byte offset, line or character position, where it applies. */
  offset?: number;
  line?: number;
  /** What is wrong, for a person. */
  reason: string;
}

/** The error every layer of Yitu throws for a known failure. */
export class YituError extends Error {
  /** Catalogue code. */
  readonly code: ErrorCode;
  /** HTTP status from the catalogue (or overridden). */
  readonly status: number;
  /** Catalogue title. */
  readonly title: string;
  /** Located problems (first errors of an import, for instance). */
  readonly errors?: ErrorLocation[];
  /** Extra members for the problem document. */
  readonly extra?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: ErrorLocation[]; extra?: Record<string, unknown>; cause?: unknown; status?: number } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'YituError';
    this.code = code;
    this.status = options.status ?? ERRORS[code].status;
    this.title = ERRORS[code].title;
    if (options.errors) this.errors = options.errors;
    if (options.extra) this.extra = options.extra;
  }

  /** The RFC 9457 problem document of this error. */
  toProblem(instance?: string): ProblemDocument {
    const doc: ProblemDocument = {
      type: `https://yitu.dev/errors/${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
    };
    if (instance) doc.instance = instance;
    if (this.errors?.length) doc.errors = this.errors;
    if (this.extra) Object.assign(doc, this.extra);
    return doc;
  }
}

/** RFC 9457 problem details, with our `code` extension member. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: ErrorLocation[];
  [extra: string]: unknown;
}

/** True when `e` is a YituError (also across module copies). */
export function isYituError(e: unknown): e is YituError {
  return e instanceof YituError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'YituError');
}
