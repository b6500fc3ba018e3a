import { describe, expect, it } from 'vitest';
import { accessChange } from './classification.ts';
import { formatHash, parseHash } from '../app/url-hash.ts';

describe('what a change of classification does to who may read', () => {
  it('opens to staff and the public going down, closes going up, and changes nothing when equal', () => {
    expect(accessChange('confidential', 'internal')).toEqual({ gain: ['class.who.staff'], lose: [] });
    expect(accessChange('confidential', 'public')).toEqual({ gain: ['class.who.staff', 'class.who.public'], lose: [] });
    expect(accessChange('internal', 'public')).toEqual({ gain: ['class.who.public'], lose: [] });
    expect(accessChange('public', 'internal')).toEqual({ gain: [], lose: ['class.who.public'] });
    expect(accessChange('public', 'confidential')).toEqual({ gain: [], lose: ['class.who.public', 'class.who.staff'] });
    expect(accessChange('internal', 'confidential')).toEqual({ gain: [], lose: ['class.who.staff'] });
    expect(accessChange('internal', 'internal')).toEqual({ gain: [], lose: [] });
  });
});

describe('links to the access screens', () => {
  it('carries the access views and the picked dataset, and drops unknown ones', () => {
    const h = formatHash({ view: 'access', layers: [], basemap: 'offline', savedMap: null, catalogPick: 'geohazard_points' }, null);
    expect(parseHash(h)).toMatchObject({ view: 'access', dataset: 'geohazard_points' });
    expect(parseHash('#view=sharing').view).toBe('sharing');
    expect(parseHash('#view=admin&ds=Bad-Id')).toEqual({ view: 'admin' });
    // The picked dataset is only part of the catalog's and the access page's links.
    expect(formatHash({ view: 'map', layers: [], basemap: 'offline', savedMap: null, catalogPick: 'roads' }, null)).not.toContain('ds=');
  });
});
