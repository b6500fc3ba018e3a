import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { YituError, isYituError } from './errors.ts';

/** Sends a YituError as RFC 9457 problem+json. */
export function sendProblem(reply: FastifyReply, req: FastifyRequest, e: YituError): FastifyReply {
  return reply.status(e.status).type('application/problem+json').send(e.toProblem(req.url));
}

/** Maps Fastify's own errors (bad JSON, too large, validation) to catalogue errors. */
function fromFastify(e: FastifyError): YituError | null {
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new YituError('YITU_ERR_UNSUPPORTED_MEDIA_TYPE', `${e.message}. Send application/json or application/geo+json.`);
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new YituError('YITU_ERR_PAYLOAD_TOO_LARGE', 'The request body is larger than the configured limit (YITU_MAX_UPLOAD_BYTES).');
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new YituError('YITU_ERR_INPUT_INVALID', 'The request body is empty; send a JSON document.');
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (e instanceof SyntaxError && e.statusCode === 400)) return new YituError('YITU_ERR_INPUT_INVALID', `The request body is not valid JSON: ${e.message}.`);
  if (e.validation) return new YituError('YITU_ERR_INPUT_INVALID', `Invalid request: ${e.message}.`);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new YituError('YITU_ERR_INPUT_INVALID', e.message, { status: e.statusCode });
  return null;
}

/** Installs the error and not-found handlers: every error leaves as problem+json, never a bare 500. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isYituError(err)) {
      if (err.status >= 500) req.log.error({ err }, err.message);
      return sendProblem(reply, req, err);
    }
    const mapped = fromFastify(err);
    if (mapped) return sendProblem(reply, req, mapped);
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, new YituError('YITU_ERR_INTERNAL', 'Something went wrong on the server; it is logged. Try again, and report it if it persists.'));
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, req, new YituError('YITU_ERR_NOT_FOUND', `Nothing at ${req.method} ${req.url.split('?')[0]}. The API is described at /api.`)),
  );
}
