import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { parseBbox } from './params.ts';

describe('config', () => {
  it('has working defaults and reads the environment', () => {
    const { config, warnings } = loadConfig({ PORT: '9090', DATABASE_URL: 'postgres://u:p@h/db', YITU_DEMO: 'off', YITU_UNKNOWN: '1' });
    expect(config.port).toBe(9090);
    expect(config.databaseUrl).toBe('postgres://u:p@h/db');
    expect(config.demoOnEmpty).toBe(false);
    expect(config.dataDir).toMatch(/\/data$/);
    expect(warnings).toEqual([expect.stringContaining('YITU_UNKNOWN')]);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with postgres/);
  });
});

describe('bbox parameter', () => {
  it('parses 4 and 6 numbers', () => {
    expect(parseBbox('119.7,30.4,120.2,30.7')).toEqual([119.7, 30.4, 120.2, 30.7]);
    expect(parseBbox('119.7,30.4,0,120.2,30.7,100')).toEqual([119.7, 30.4, 120.2, 30.7]);
  });
  it.each([
    ['1,2,3', /4 numbers/],
    ['a,2,3,4', /value 1/],
    ['0,0,200,1', /maximum longitude 200/],
    ['0,50,1,40', /minimum y 50/],
    ['10,0,5,1', /minimum x 10/],
    ['0,0,1,', /value 4/],
  ])('refuses %s', (raw, msg) => {
    expect(() => parseBbox(raw)).toThrow(msg);
  });
  it('accepts projected values when not geographic', () => {
    expect(parseBbox('400000,3300000,500000,3400000', { geographic: false })).toEqual([400000, 3300000, 500000, 3400000]);
  });
});
