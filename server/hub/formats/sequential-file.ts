import { open, type FileHandle } from 'node:fs/promises';

/**
 * Reads a file front to back in large chunks and hands out exact byte ranges, for the binary
 * readers (Shapefile, DBF, FlatGeobuf) that walk records one after the other.
 */
export class SequentialFile {
  private buf: Buffer = Buffer.alloc(0);
  private off = 0;
  private filePos = 0;
  private eof = false;

  private constructor(
    private readonly fh: FileHandle,
    /** Size of the file in bytes when it was opened. */
    readonly size: number,
    private readonly chunkSize: number,
  ) {}

  /** Opens `path` for sequential reading, in chunks of `chunkSize` bytes (1 MiB by default). */
  static async open(path: string, chunkSize = 1 << 20): Promise<SequentialFile> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      return new SequentialFile(fh, size, chunkSize);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Bytes handed out (or skipped) so far: the position of the next read. */
  get position(): number {
    return this.filePos - (this.buf.length - this.off);
  }

  /**
   * The next `n` bytes; fewer only at the end of the file (check the length to detect
   * truncation). The returned bytes are a view valid until the next call.
   */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const end = Math.min(this.off + n, this.buf.length);
    const out = this.buf.subarray(this.off, end);
    this.off = end;
    return out;
  }

  /** Skips `n` bytes; returns how many were actually skipped (fewer at the end of the file). */
  async skip(n: number): Promise<number> {
    const inBuffer = this.buf.length - this.off;
    if (n <= inBuffer) {
      this.off += n;
      return n;
    }
    const beyond = Math.min(n - inBuffer, Math.max(0, this.size - this.filePos));
    this.buf = Buffer.alloc(0);
    this.off = 0;
    this.filePos += beyond;
    return inBuffer + beyond;
  }

  /** Closes the file handle. */
  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }

  private async fill(n: number): Promise<void> {
    while (this.buf.length - this.off < n && !this.eof) {
      const rest = this.buf.subarray(this.off);
      const want = Math.max(this.chunkSize, n - rest.length);
      const next = Buffer.allocUnsafe(rest.length + want);
      rest.copy(next, 0);
      const { bytesRead } = await this.fh.read(next, rest.length, want, this.filePos);
      this.filePos += bytesRead;
      if (bytesRead === 0) this.eof = true;
      this.buf = next.subarray(0, rest.length + bytesRead);
      this.off = 0;
    }
  }
}
