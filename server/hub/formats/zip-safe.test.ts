import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractZipSafely } from './zip-safe.ts';

interface ZipItem {
  name: string;
  data?: Buffer;
  mode?: number;
  compress?: boolean;
  dir?: boolean;
}

/** Builds a zip in memory with yazl. */
async function makeZip(items: ZipItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const it of items) {
    if (it.dir) zip.addEmptyDirectory(it.name);
    else zip.addBuffer(it.data ?? Buffer.alloc(0), it.name, { mode: it.mode, compress: it.compress ?? true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/**
 * Rewrites an entry name in place (same byte length) in both the local and the central headers;
 * yazl refuses unsafe names, so tests write a placeholder and patch it. Optionally clears the
 * UTF-8 flag (bit 11) and sets other general-purpose flag bits.
 */
function patchZip(buf: Buffer, from: string, to: Buffer, flags: { clearUtf8?: boolean; set?: number } = {}): Buffer {
  const out = Buffer.from(buf);
  const fromBytes = Buffer.from(from, 'utf8');
  if (fromBytes.length !== to.length) throw new Error('names must have the same byte length');
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = out.readUInt32LE(eocd + 16);
  const count = out.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const nameLen = out.readUInt16LE(p + 28);
    const extraLen = out.readUInt16LE(p + 30);
    const commentLen = out.readUInt16LE(p + 32);
    const local = out.readUInt32LE(p + 42);
    const name = out.subarray(p + 46, p + 46 + nameLen);
    if (name.equals(fromBytes)) {
      to.copy(out, p + 46);
      to.copy(out, local + 30);
      for (const [at, off] of [
        [p, 8],
        [local, 6],
      ] as const) {
        let f = out.readUInt16LE(at + off);
        if (flags.clearUtf8) f &= ~0x800;
        f |= flags.set ?? 0;
        out.writeUInt16LE(f, at + off);
      }
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

let dir: string;
let zipPath: string;
let dest: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-zip-'));
  zipPath = path.join(dir, 'in.zip');
  dest = path.join(dir, 'out');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function extracting(buf: Buffer, opts?: Parameters<typeof extractZipSafely>[2]) {
  await writeFile(zipPath, buf);
  return extractZipSafely(zipPath, dest, opts);
}

async function leftovers(): Promise<string[]> {
  try {
    return await readdir(dest, { recursive: true });
  } catch {
    return [];
  }
}

describe('extractZipSafely', () => {
  it('extracts files and folders, skipping __MACOSX and .DS_Store', async () => {
    const buf = await makeZip([
      { name: 'data/parcels.shp', data: Buffer.from('shp') },
      { name: 'data/parcels.dbf', data: Buffer.from('dbf') },
      { name: 'empty/', dir: true },
      { name: '__MACOSX/data/._parcels.shp', data: Buffer.from('junk') },
      { name: 'data/.DS_Store', data: Buffer.from('junk') },
    ]);
    const { files } = await extracting(buf);
    expect(files.map((f) => path.relative(dest, f))).toEqual([
      path.join('data', 'parcels.shp'),
      path.join('data', 'parcels.dbf'),
    ]);
    expect(await readFile(path.join(dest, 'data', 'parcels.dbf'), 'utf8')).toBe('dbf');
    expect((await leftovers()).some((f) => f.includes('__MACOSX') || f.includes('.DS_Store'))).toBe(false);
  });

  it('refuses ../ traversal and names the entry, leaving nothing behind', async () => {
    const buf = patchZip(
      await makeZip([
        { name: 'ok.txt', data: Buffer.from('fine') },
        { name: 'xx/evil.txt', data: Buffer.from('evil') },
      ]),
      'xx/evil.txt',
      Buffer.from('../evil.txt'),
    );
    await expect(extracting(buf)).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
      message: expect.stringContaining('../evil.txt'),
    });
    expect(await leftovers()).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['in.zip']);
  });

  it('refuses traversal hidden behind backslashes', async () => {
    const buf = patchZip(await makeZip([{ name: 'xx/xx/ev.txt', data: Buffer.from('x') }]), 'xx/xx/ev.txt', Buffer.from('..\\..\\ev.txt'));
    await expect(extracting(buf)).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_ZIP_UNSAFE' });
  });

  it('refuses absolute paths', async () => {
    const buf = patchZip(await makeZip([{ name: 'xetc/passwd', data: Buffer.from('x') }]), 'xetc/passwd', Buffer.from('/etc/passwd'));
    await expect(extracting(buf)).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
      message: expect.stringContaining('/etc/passwd'),
    });
    const win = patchZip(await makeZip([{ name: 'xxwin.txt', data: Buffer.from('x') }]), 'xxwin.txt', Buffer.from('C:win.txt'));
    await expect(extracting(win)).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_ZIP_UNSAFE' });
  });

  it('refuses symbolic links', async () => {
    const buf = await makeZip([{ name: 'link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]);
    await expect(extracting(buf)).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
      message: expect.stringContaining('symbolic link'),
    });
  });

  it('refuses encrypted entries', async () => {
    const buf = patchZip(await makeZip([{ name: 'secret.txt', data: Buffer.from('secret '.repeat(100)) }]), 'secret.txt', Buffer.from('secret.txt'), { set: 0x1 });
    await expect(extracting(buf)).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
      message: expect.stringContaining('encrypted'),
    });
  });

  it('refuses a high-ratio bomb (50 MB of zeros) while inflating, and cleans up', async () => {
    const buf = await makeZip([
      { name: 'first.txt', data: Buffer.from('kept until failure') },
      { name: 'zeros.bin', data: Buffer.alloc(50 * 1024 * 1024) },
    ]);
    expect(buf.length).toBeLessThan(1024 * 1024);
    await expect(extracting(buf)).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
      message: expect.stringContaining('zeros.bin'),
    });
    expect(await leftovers()).toEqual([]);
  });

  it('does not trust a header that understates the uncompressed size', async () => {
    const buf = Buffer.from(await makeZip([{ name: 'liar.bin', data: Buffer.alloc(5 * 1024 * 1024) }]));
    // Patch the uncompressed size (central directory +24, local header +22) to 100 bytes.
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = buf.readUInt32LE(eocd + 16);
    buf.writeUInt32LE(100, cd + 24);
    buf.writeUInt32LE(100, buf.readUInt32LE(cd + 42) + 22);
    await expect(extracting(buf, { maxRatio: 1e9 })).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_ZIP_UNSAFE' });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses more uncompressed bytes than allowed', async () => {
    const buf = await makeZip([
      { name: 'a.bin', data: randomBytes(3000) },
      { name: 'b.bin', data: randomBytes(3000) },
    ]);
    await expect(extracting(buf, { maxUncompressedBytes: 5000 })).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
      message: expect.stringContaining('b.bin'),
    });
    expect(await leftovers()).toEqual([]);
    await rm(dest, { recursive: true, force: true });
    await expect(extracting(buf, { maxUncompressedBytes: 6000 })).resolves.toMatchObject({ files: expect.any(Array) });
  });

  it('refuses too many entries (default limit 10,000)', async () => {
    const items = Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}.txt`, compress: false }));
    await expect(extracting(await makeZip(items))).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
      message: expect.stringContaining('10000'),
    });
    await expect(extracting(await makeZip(items.slice(0, 5)), { maxEntries: 4 })).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_ZIP_UNSAFE',
    });
  });

  it('decodes GBK entry names written without the UTF-8 flag', async () => {
    const gbk = iconv.encode('宗地图/地块.shp', 'gbk');
    const placeholder = 'x'.repeat(gbk.length - 4) + '.shp';
    const buf = patchZip(await makeZip([{ name: placeholder, data: Buffer.from('shp') }]), placeholder, gbk, { clearUtf8: true });
    const { files } = await extracting(buf);
    expect(files).toEqual([path.join(dest, '宗地图', '地块.shp')]);
    expect(await readFile(files[0], 'utf8')).toBe('shp');
  });

  it('keeps UTF-8 names without the UTF-8 flag as UTF-8', async () => {
    const utf8 = Buffer.from('地块.txt', 'utf8');
    const placeholder = 'x'.repeat(utf8.length - 4) + '.txt';
    const buf = patchZip(await makeZip([{ name: placeholder, data: Buffer.from('t') }]), placeholder, utf8, { clearUtf8: true });
    const { files } = await extracting(buf);
    expect(files).toEqual([path.join(dest, '地块.txt')]);
  });

  it('reports a truncated zip as malformed', async () => {
    const buf = await makeZip([{ name: 'a.txt', data: randomBytes(10_000) }]);
    await expect(extracting(buf.subarray(0, buf.length >> 1))).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_FILE_MALFORMED',
    });
    await expect(extracting(Buffer.from('not a zip at all'))).rejects.toMatchObject({
      code: 'YITU_ERR_IMPORT_FILE_MALFORMED',
    });
  });

  it('reports corrupt compressed data as malformed and cleans up', async () => {
    const buf = Buffer.from(await makeZip([{ name: 'a.txt', data: Buffer.from('hello '.repeat(5000)) }]));
    // Scramble the deflate stream (after the 30-byte local header and the 5-byte name).
    for (let i = 40; i < 80; i++) buf[i] = 0xff;
    await expect(extracting(buf)).rejects.toMatchObject({ code: 'YITU_ERR_IMPORT_FILE_MALFORMED' });
    expect(await leftovers()).toEqual([]);
  });
});
