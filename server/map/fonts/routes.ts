import type { FastifyInstance } from 'fastify';
import { sendCached } from './http-cache.ts';
import { type FontService, parseGlyphRange } from './service.ts';

/** Glyphs are regenerated only when Yitu or its fonts change: a week, then revalidated by ETag. */
const GLYPH_MAX_AGE = 7 * 24 * 3600;

/** Routes of the offline glyphs: the font list and MapLibre glyph PBFs. */
export async function fontRoutes(app: FastifyInstance, opts: { fonts: FontService }): Promise<void> {
  const { fonts } = opts;

  app.get('/fonts', async () => ({ fonts: fonts.available() }));

  app.get('/fonts/:fontstack/:range', async (req, reply) => {
    const { fontstack, range } = req.params as { fontstack: string; range: string };
    const { start, end } = parseGlyphRange(range);
    const r = await fonts.glyphs(fontstack, start, end);
    return sendCached(req, reply, { ...r, type: 'application/x-protobuf', maxAge: GLYPH_MAX_AGE });
  });
}
