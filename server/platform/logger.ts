import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Creates the structured (JSON) logger; secrets in headers and URLs are redacted. Logs go to
 * stdout unless a destination is given (one-shot CLI commands log to stderr, keeping stdout for
 * their output).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'yitu' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'password', '*.password', 'databaseUrl'],
      censor: '***',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
