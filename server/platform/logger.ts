import pino, { type Logger } from 'pino';

/** Creates the structured (JSON) logger; secrets in headers and URLs are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'yitu' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'password', '*.password', 'databaseUrl'],
      censor: '***',
    },
  });
}
