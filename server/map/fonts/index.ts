/**
 * Offline glyphs for MapLibre: the font names styles use, the service and its routes.
 */
export { BOLD_FONT, CJK_BOLD_FONT, CJK_FONT, DEFAULT_FONT } from './font-files.ts';
export { FontService, type FontInfo, type GlyphResponse, parseGlyphRange } from './service.ts';
export { fontRoutes } from './routes.ts';
