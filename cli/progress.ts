/** A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise (logs, CI). */
export class ProgressBar {
  private lastDecile = -1;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Shows `pct` (0–100) and a message. */
  update(pct: number, message?: string | null): void {
    const p = Math.max(0, Math.min(100, pct));
    if (this.out.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 80 && p < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round((p / 100) * width);
      const line = `${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${p.toFixed(0).padStart(3)}% ${message ?? ''}`;
      this.out.write(`\r${line.slice(0, (this.out.columns || 100) - 1).padEnd(Math.min(this.out.columns || 100, 120) - 1)}`);
    } else {
      const d = Math.floor(p / 10);
      if (d > this.lastDecile) {
        this.lastDecile = d;
        this.out.write(`${this.label} ${p.toFixed(0)}% ${message ?? ''}\n`);
      }
    }
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
