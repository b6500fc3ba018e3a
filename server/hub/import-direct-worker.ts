/**
 * Worker thread of a direct import (see `import-direct-load.ts`): opens the file, runs the producer
 * and posts its DDL and COPY batches to the importing thread, waiting when
 * {@link WORKER_MAX_PENDING} batches are not yet stored.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { YituError } from '../platform/errors.ts';
import { openSource, type OpenSourceOptions } from './formats/open-source.ts';
import { DirectMisfit, type DirectSink, type ProduceOptions, produceDirect } from './import-direct.ts';
import { WORKER_MAX_PENDING, type WorkerMessage } from './import-direct-load.ts';

const port = parentPort!;
const { file, reader, opts } = workerData as { file: string; reader: OpenSourceOptions; opts: ProduceOptions };
const post = (m: WorkerMessage) => port.postMessage(m);

let pending = 0;
let wake: (() => void) | null = null;
port.on('message', (m: { t: string }) => {
  if (m.t !== 'ack') return;
  pending--;
  const w = wake;
  wake = null;
  w?.();
});

try {
  const source = await openSource(file, reader);
  try {
    const sink: DirectSink = {
      async ddl(sql) {
        post({ t: 'ddl', sql });
      },
      async copy(columns, text, from, to) {
        const fraction = source.totalBytes && source.bytesRead ? source.bytesRead() / source.totalBytes : 0;
        post({ t: 'copy', columns, text, from, to, fraction });
        pending++;
        while (pending >= WORKER_MAX_PENDING) await new Promise<void>((r) => (wake = r));
      },
      async between() {},
    };
    post({ t: 'done', summary: await produceDirect(source, opts, sink) });
  } finally {
    await source.close().catch(() => {});
  }
} catch (e) {
  if (e instanceof DirectMisfit) post({ t: 'misfit', message: e.message });
  else if (e instanceof YituError) {
    post({ t: 'error', code: e.code, message: e.message, status: e.status, ...(e.errors ? { errors: e.errors } : {}), ...(e.extra ? { extra: e.extra } : {}) });
  } else post({ t: 'error', message: (e as Error)?.message ?? String(e) });
}
