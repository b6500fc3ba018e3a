import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { YituError } from '../platform/errors.ts';

/** A file received from a client, on disk, with the form fields that came with it. */
export interface Upload {
  /** Directory to remove when done. */
  dir: string;
  file: string;
  originalName: string;
  bytes: number;
  fields: Record<string, string>;
}

function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120);
  return base && base !== '.' && base !== '..' ? base : 'upload';
}

async function saveStream(stream: Readable, dir: string, name: string, maxBytes: number): Promise<{ file: string; bytes: number }> {
  const file = path.join(dir, safeFileName(name));
  let bytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) cb(new YituError('YITU_ERR_IMPORT_FILE_TOO_LARGE', `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB (YITU_MAX_UPLOAD_BYTES).`));
      else cb(null, chunk);
    },
  });
  await pipeline(stream, limiter, createWriteStream(file));
  return { file, bytes };
}

/**
 * Streams an upload to disk: `multipart/form-data` (a `file` part plus fields) or a raw body whose
 * options come in the query string and its name in `filename` or `Content-Disposition`. Never
 * holds the file in memory; refuses it past `maxBytes` and keeps nothing.
 */
export async function receiveUpload(req: FastifyRequest, uploadsDir: string, maxBytes: number): Promise<Upload> {
  const dir = path.join(uploadsDir, randomUUID());
  await mkdir(dir, { recursive: true });
  try {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v;
    if (req.isMultipart()) {
      let saved: { file: string; bytes: number; name: string } | null = null;
      for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 100 } })) {
        if (part.type === 'file') {
          if (saved) throw new YituError('YITU_ERR_INPUT_INVALID', 'Send one file per import.');
          const name = part.filename || 'upload';
          const r = await saveStream(part.file, dir, name, maxBytes);
          if (part.file.truncated) throw new YituError('YITU_ERR_IMPORT_FILE_TOO_LARGE', `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
          saved = { ...r, name };
        } else if (typeof part.value === 'string') {
          fields[part.fieldname] = part.value;
        }
      }
      if (!saved) throw new YituError('YITU_ERR_INPUT_INVALID', 'The form has no file: send it in a part named "file".');
      return { dir, file: saved.file, originalName: saved.name, bytes: saved.bytes, fields };
    }
    const disposition = String(req.headers['content-disposition'] ?? '');
    const fromHeader = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    const name = fields.filename ?? (fromHeader ? decodeURIComponent(fromHeader) : 'upload');
    const r = await saveStream(req.body as Readable, dir, name, maxBytes);
    if (r.bytes === 0) throw new YituError('YITU_ERR_IMPORT_FILE_EMPTY', 'The request body is empty: send the file as the body, or as the "file" part of a form.');
    return { dir, file: r.file, originalName: name, bytes: r.bytes, fields };
  } catch (e) {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw e;
  }
}

/**
 * Registers routes that receive uploads: inside this scope the body parsers are replaced by a
 * pass-through (the body is streamed to disk by {@link receiveUpload}, never buffered) and
 * multipart forms are accepted up to `maxBytes`.
 */
export async function uploadScope(app: FastifyInstance, maxBytes: number, routes: (scope: FastifyInstance) => void): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    await scope.register(multipart, { limits: { fileSize: maxBytes } });
    routes(scope);
  });
}
