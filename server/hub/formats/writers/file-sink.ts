import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Bytes buffered before a write to disk. */
const BUFFER_BYTES = 1 << 20;

/** A buffered, append-mostly binary file writer that knows its length (for headers and offsets). */
export class FileSink {
  /** Bytes written so far (buffered included). */
  position = 0;
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private flushedTo = 0;

  private constructor(private readonly fh: FileHandle) {}

  /** Creates (truncates) `path` for writing. */
  static async create(path: string): Promise<FileSink> {
    return new FileSink(await open(path, 'w'));
  }

  /** Appends bytes. */
  async write(data: Uint8Array): Promise<void> {
    if (this.used + data.length > this.buf.length) await this.flush();
    if (data.length > this.buf.length) {
      await this.fh.write(data, 0, data.length, this.flushedTo);
      this.flushedTo += data.length;
    } else {
      this.buf.set(data, this.used);
      this.used += data.length;
    }
    this.position += data.length;
  }

  /** Overwrites bytes at `offset` (before the end), e.g. a header once the counts are known. */
  async writeAt(offset: number, data: Uint8Array): Promise<void> {
    await this.flush();
    await this.fh.write(data, 0, data.length, offset);
  }

  /** Writes the buffered bytes to disk. */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.fh.write(this.buf, 0, this.used, this.flushedTo);
    this.flushedTo += this.used;
    this.used = 0;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.fh.close();
    }
  }
}

/** Reads a file front to back in large chunks, handing out exact byte counts. */
export class FileSource {
  private buf = Buffer.alloc(0);
  private pos = 0;
  private fileOffset = 0;

  private constructor(private readonly fh: FileHandle) {}

  /** Opens `path` for reading. */
  static async open(path: string): Promise<FileSource> {
    return new FileSource(await open(path, 'r'));
  }

  /** The next `n` bytes, or null at the end of the file (a short tail is an error). */
  async read(n: number): Promise<Buffer | null> {
    while (this.buf.length - this.pos < n) {
      const chunk = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, n));
      const { bytesRead } = await this.fh.read(chunk, 0, chunk.length, this.fileOffset);
      if (bytesRead === 0) {
        if (this.buf.length - this.pos === 0) return null;
        throw new Error(`Unexpected end of file (wanted ${n} bytes)`);
      }
      this.fileOffset += bytesRead;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk.subarray(0, bytesRead)]);
      this.pos = 0;
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.fh.close();
  }
}
