import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Temporary directories of the format tests, readers and writers (not part of the runtime). */

/** Creates a temporary directory named `prefix…`; call the returned function to remove it. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A temporary directory that lives while the tests of one file (or suite) run. */
export interface TempDir {
  /** The directory (only valid inside tests and hooks). */
  dir(): string;
  /** A path inside the directory. */
  path(...names: string[]): string;
  /** Writes `content` to `name` inside the directory; returns its path. */
  file(name: string, content: string | Uint8Array): Promise<string>;
}

/**
 * A temporary directory named `prefix…`, made before the tests of the calling file or suite and
 * removed after them (registers `beforeAll` / `afterAll`: call it at the top level of a test file
 * or of a `describe`).
 */
export function useTempDir(prefix: string): TempDir {
  let current: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeAll(async () => {
    current = await tempDir(prefix);
  });
  afterAll(async () => {
    await current?.cleanup();
  });
  const dir = (): string => {
    if (!current) throw new Error('the temporary directory exists only inside tests and hooks');
    return current.dir;
  };
  const path = (...names: string[]): string => join(dir(), ...names);
  const file = async (name: string, content: string | Uint8Array): Promise<string> => {
    const p = path(name);
    await writeFile(p, content);
    return p;
  };
  return { dir, path, file };
}
