import pino, { type DestinationStream, type Logger } from 'pino';

/** Query parameters whose values are secrets. */
const SECRET_PARAMS = /([?&](?:token|access_token|api_key|apikey|key|password|csrf)=)[^&#]*/gi;

/** A URL with the values of secret query parameters replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***');
}

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
      paths: [
        ...['req.headers', 'res.headers', 'headers'].flatMap((h) => ['authorization', 'cookie', '["set-cookie"]', '["x-csrf-token"]'].map((k) => `${h}${k.startsWith('[') ? '' : '.'}${k}`)),
        ...['password', 'currentPassword', 'newPassword', 'adminPassword', 'demoPassword', 'token', 'csrfToken'].flatMap((k) => [k, `*.${k}`]),
        'databaseUrl',
      ],
      censor: '***',
    },
    // Fastify's request line without secrets in the URL (share tokens of maps travel as ?token=).
    serializers: {
      req: (req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
