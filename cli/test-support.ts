import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The `yitu` command of this checkout. */
export const YITU_BIN = fileURLToPath(new URL('../bin/yitu.js', import.meta.url));

/** What a finished `yitu` run printed and how it ended. */
export interface YituRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The environment of a child `yitu`: the parent's without any Yitu or database setting (a developer's
 * `DATABASE_URL` or `PORT` must not leak in), plus the embedded database in `dataDir`, no demo
 * unless asked, and warnings only.
 */
export function yituEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('YITU_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST') continue;
    env[k] = v;
  }
  return { ...env, YITU_DATA_DIR: dataDir, YITU_DEMO: 'off', YITU_LOG_LEVEL: 'warn', ...extra };
}

/** Runs `node bin/yitu.js …args` to its end. */
export function runYitu(args: string[], opts: { dataDir: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number }): Promise<YituRun> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [YITU_BIN, ...args], { env: yituEnv(opts.dataDir, opts.env), cwd: opts.cwd ?? opts.dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`yitu ${args.join(' ')} did not end within ${opts.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** A message for `expect(…, message)` that shows what the command printed. */
export function describeRun(r: YituRun): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${r.ms} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/**
 * A new data directory. With `template`, its embedded database starts as a copy of the migrated
 * template the test setup dumped (saves the ~10 s of initdb + PostGIS + migrations of a first start);
 * without, it is empty, as on a user's first start.
 */
export async function newDataDir(template?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-cli-test-'));
  if (template && existsSync(template)) {
    const pg = path.join(dir, 'pg');
    await mkdir(pg);
    try {
      await promisify(execFile)('tar', ['xzf', template, '-C', pg]);
    } catch {
      // No tar here: the first command initialises the directory itself (slower).
      await promisify(execFile)('rm', ['-rf', pg]).catch(() => {});
    }
  }
  return dir;
}

/** A `yitu serve` child process. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `yitu serve` on a free port of 127.0.0.1 (PORT=0) and waits for its "Yitu is running at" line. */
export async function startServe(dataDir: string, opts: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [YITU_BIN, 'serve', ...(opts.args ?? [])], { env: yituEnv(dataDir, { PORT: '0', HOST: '127.0.0.1', ...opts.env }), cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`yitu serve did not start within ${opts.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    const check = () => {
      const m = /Yitu is running at (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`yitu serve ended (${code ?? signal}) before it was running\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits for `p`, failing after `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
