import { writeFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { YituError } from '../../platform/errors.ts';
import {
  completeUtf8Length,
  decodeGb,
  detectEncoding,
  firstInvalidUtf8,
  resolveEncoding,
  sniffFileEncoding,
  toUtf8Chunks,
  validateUtf8,
} from './encoding.ts';
import { useTempDir } from './test/reader-helpers.ts';

const tmp = useTempDir('yitu-encoding-test-');

async function* chunks(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
async function join8(src: AsyncIterable<Buffer | string>): Promise<string> {
  let s = '';
  for await (const c of src) s += typeof c === 'string' ? c : c.toString('utf8');
  return s;
}

describe('encoding', () => {
  const text = '名称,类别\n城关镇中心小学,学校\n';

  it('detects UTF-8 (with or without BOM, cut mid-character) and GBK', () => {
    const utf8 = Buffer.from(text);
    expect(detectEncoding(utf8)).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toBe('utf-8');
    expect(detectEncoding(utf8.subarray(0, 4))).toBe('utf-8'); // "名" + first byte of "称"
    expect(detectEncoding(iconv.encode(text, 'gbk'))).toBe('gbk');
    expect(detectEncoding(Buffer.from('plain ascii'))).toBe('utf-8');
    expect(completeUtf8Length(Buffer.from('a名'))).toBe(4);
    expect(completeUtf8Length(Buffer.from('a名').subarray(0, 3))).toBe(1);
    expect(firstInvalidUtf8(Buffer.concat([Buffer.from('ab'), iconv.encode('中', 'gbk')]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from('ok 好'))).toBe(-1);
  });

  it('sniffs files, looking past an ASCII head', async () => {
    const p = await tmp.file('late.csv', Buffer.concat([Buffer.alloc(3 * 1024 * 1024, 0x61), iconv.encode('中文', 'gbk')]));
    expect(await sniffFileEncoding(p)).toBe('gbk');
    expect(await sniffFileEncoding(p, 1024 * 1024)).toBe('utf-8'); // beyond the scan limit
    await writeFile(p, 'ascii only');
    expect(await sniffFileEncoding(p)).toBe('utf-8');
    expect(await resolveEncoding(p, 'gbk')).toEqual({ name: 'gbk', explicit: true });
    expect(await resolveEncoding(p, 'auto')).toEqual({ name: 'utf-8', explicit: false });
    await expect(resolveEncoding(p, 'big5' as never)).rejects.toBeInstanceOf(YituError);
  });

  it('validates UTF-8 across chunk boundaries, strips the BOM, and locates bad bytes', async () => {
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.repeat(50))]);
    for (const size of [1, 2, 5, 1000]) expect(await join8(validateUtf8(chunks(buf, size)))).toBe(text.repeat(50));
    const bad = Buffer.concat([Buffer.from('abc名'), Buffer.from([0xd6, 0xd0]), Buffer.from('x')]);
    const err = await join8(validateUtf8(chunks(bad, 2))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(YituError);
    expect((err as YituError).code).toBe('YITU_ERR_IMPORT_ENCODING');
    expect((err as YituError).errors?.[0].offset).toBe(6);
    // a file ending in the middle of a character
    const cut = await join8(validateUtf8(chunks(Buffer.from('名').subarray(0, 2), 8))).catch((e: unknown) => e);
    expect((cut as YituError).code).toBe('YITU_ERR_IMPORT_ENCODING');
  });

  it('decodes GBK / GB18030 streaming, with characters split across chunks', async () => {
    const gbk = iconv.encode(text.repeat(20), 'gbk');
    for (const size of [1, 3, 64]) expect(await join8(decodeGb(chunks(gbk, size)))).toBe(text.repeat(20));
    const out = await join8(toUtf8Chunks(chunks(gbk, 7), { name: 'gbk', explicit: false }));
    expect(out).toBe(text.repeat(20));
  });
});
