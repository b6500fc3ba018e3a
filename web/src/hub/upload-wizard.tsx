import { useRef, useState } from 'react';
import { ApiError, csrfHeaders } from '../app/api.ts';
import { THEMES, type ColumnType, type Job, type Theme } from '../app/api-types.ts';
import { refreshCatalog } from '../app/boot.ts';
import { showLayer, store, useStore } from '../app/store.ts';
import { fmtNumber, useT } from '../i18n/i18n.ts';
import { getMap } from '../map/map-instance.ts';
import { COLUMN_TYPES, datasetIdFromFileName, previewFile, setReaderOptions, type FilePreview, type PreviewOptions } from './file-preview.ts';

type Mode = 'create' | 'append' | 'replace' | 'upsert';

interface Settings {
  dataset: string;
  title: string;
  titleEn: string;
  theme: Theme;
  mode: Mode;
  crs: string;
  coords: '' | 'wgs84' | 'gcj02' | 'bd09';
  x: string;
  y: string;
  encoding: '' | 'utf-8' | 'gbk' | 'gb18030';
  layer: string;
  /** Column type overrides by original name (create mode). */
  types: Record<string, ColumnType>;
}

/** The reader options of the settings, as the preview and the import take them. */
function readerOptions(s: Settings): PreviewOptions {
  return { crs: s.crs, encoding: s.encoding, layer: s.layer, x: s.x, y: s.y, ...(s.mode === 'create' ? { types: s.types } : {}) };
}

/** Common CRSs of Chinese data (CGCS2000 geographic and Gauss–Krüger 3° zones near 120°E). */
const CRS_CHOICES = ['', '4326', '4490', '4549', '4548', '4550', '3857'];

/** Starts an import (multipart: the options, then the file); resolves with the accepted job. */
async function submitImport(file: File, s: Settings): Promise<Job> {
  const form = new FormData();
  form.set('dataset', s.dataset);
  form.set('mode', s.mode);
  if (s.title) form.set('title', s.title);
  if (s.titleEn) form.set('titleEn', s.titleEn);
  if (s.mode === 'create') form.set('theme', s.theme);
  if (s.coords) form.set('coords', s.coords);
  setReaderOptions(form, readerOptions(s));
  form.set('file', file, file.name);
  const res = await fetch('/imports', { method: 'POST', body: form, headers: { accept: 'application/json', ...csrfHeaders() } });
  const body = (await res.json().catch(() => ({}))) as Job & { detail?: string; code?: string };
  if (!res.ok) throw new ApiError(body.detail ?? `${res.status}`, res.status, body.code);
  return body;
}

/** Follows a job's Server-Sent Events until it ends. */
function follow(id: string, onUpdate: (j: Partial<Job>) => void): Promise<Job> {
  return new Promise((resolve) => {
    const es = new EventSource(`/jobs/${id}/events`);
    es.addEventListener('progress', (e) => onUpdate(JSON.parse((e as MessageEvent<string>).data) as Partial<Job>));
    es.addEventListener('job', (e) => {
      const j = JSON.parse((e as MessageEvent<string>).data) as Job;
      onUpdate(j);
      if (['successful', 'failed', 'dismissed'].includes(j.status)) {
        es.close();
        resolve(j);
      }
    });
  });
}

/** The upload wizard: drop a file → its schema and CRS → settings → import job with progress → the new layer. */
export function UploadWizard() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [job, setJob] = useState<Partial<Job> | null>(null);
  const [error, setError] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const step = !file ? 1 : !job ? 2 : 3;

  /** Reads the file on the server with these settings (every format, the import's own readers). */
  const runPreview = async (f: File, s: Settings) => {
    setPreviewing(true);
    setError('');
    try {
      setPreview(await previewFile(f, readerOptions(s)));
    } catch (e) {
      setPreview(null);
      setError((e as Error).message);
    } finally {
      setPreviewing(false);
    }
  };
  const choose = async (f: File) => {
    setFile(f);
    setJob(null);
    setError('');
    setPreview(null);
    const base = f.name.replace(/\.[^.]+$/, '');
    const s: Settings = { dataset: datasetIdFromFileName(f.name), title: base, titleEn: '', theme: 'current', mode: 'create', crs: '', coords: '', x: '', y: '', encoding: '', layer: '', types: {} };
    setSettings(s);
    await runPreview(f, s);
  };
  /** Changes reader settings and reads the file again with them. */
  const reread = (change: Partial<Settings>) => {
    if (!settings || !file) return;
    const s = { ...settings, ...change };
    setSettings(s);
    void runPreview(file, s);
  };
  const start = async () => {
    if (!file || !settings) return;
    setError('');
    try {
      const accepted = await submitImport(file, settings);
      setJob(accepted);
      const done = await follow(accepted.id, (u) => setJob((j) => ({ ...j, ...u })));
      if (done.status === 'successful') {
        await refreshCatalog();
        store.set((s) => ({ revision: { ...s.revision, [settings.dataset]: (s.revision[settings.dataset] ?? 0) + 1 } }));
        showLayer(settings.dataset);
      } else setError(done.error?.detail ?? done.message ?? t('upload.failed'));
    } catch (e) {
      setError((e as Error).message);
      setJob(null);
    }
  };
  const set = (change: Partial<Settings>) => setSettings((s) => (s ? { ...s, ...change } : s));
  const reset = () => {
    setFile(null);
    setPreview(null);
    setSettings(null);
    setJob(null);
    setError('');
  };
  const ds = useStore((s) => s.datasets.find((d) => d.id === settings?.dataset));
  return (
    <div className="upload panel" data-testid="upload-wizard">
      <h2>{t('upload.title')}</h2>
      <ol className="steps">
        {(['upload.step1', 'upload.step2', 'upload.step3'] as const).map((k, i) => (
          <li key={k} className={step === i + 1 ? 'on' : step > i + 1 ? 'done' : ''}>
            <span>{i + 1}</span> {t(k)}
          </li>
        ))}
      </ol>
      {step === 1 && (
        <div
          className={`drop ${over ? 'over' : ''}`}
          data-testid="drop-zone"
          onClick={() => input.current?.click()}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const f = e.dataTransfer.files[0];
            if (f) void choose(f);
          }}
        >
          <p className="big">⇪</p>
          <p>{t('upload.drop')}</p>
          <p className="muted small">{t('upload.formats')}</p>
          <input ref={input} type="file" data-testid="file-input" hidden onChange={(e) => e.target.files?.[0] && void choose(e.target.files[0])} />
        </div>
      )}
      {step >= 2 && file && settings && (
        <div className="upload-body">
          <div className="upload-preview" data-testid="upload-preview">
            <table className="attrs">
              <tbody>
                <tr><th>{t('upload.file')}</th><td>{file.name}</td></tr>
                <tr><th>{t('upload.size')}</th><td>{fmtNumber(lang, file.size / 1024, 1)} KB</td></tr>
                <tr><th>{t('upload.format')}</th><td data-testid="upload-format">{preview?.format ?? (previewing ? t('upload.reading') : '?')}{preview?.geometryTypes.length ? ` · ${preview.geometryTypes.join(', ')}` : ''}</td></tr>
                <tr><th>{t('upload.crs')}</th><td data-testid="upload-crs">{preview ? `EPSG:${preview.crs.epsg} · ${t(`upload.crsFrom.${preview.crs.source}`)}` : '…'}{preview?.crs.note ? <div className="error small" data-testid="upload-crs-note">{preview.crs.source === 'default' ? t('upload.crsDefaultHint') : preview.crs.note}</div> : null}</td></tr>
                {preview?.encoding ? <tr><th>{t('upload.encoding')}</th><td data-testid="upload-encoding">{preview.encoding}</td></tr> : null}
                {preview ? <tr><th>{t('upload.sampleRead')}</th><td>{t(preview.sampled ? 'upload.sampledFirst' : 'upload.sampledAll', { n: fmtNumber(lang, preview.read) })}</td></tr> : null}
              </tbody>
            </table>
            <h3>{t('upload.fields')}</h3>
            {preview?.columns.length ? (
              <div className="table-scroll small-table" data-testid="upload-fields">
                <table className="grid">
                  <thead><tr><th>{t('upload.colTitle')}</th><th>{t('upload.colName')}</th><th>{t('upload.colType')}</th></tr></thead>
                  <tbody>
                    {preview.columns.map((c) => (
                      <tr key={c.name}>
                        <td>{c.title}</td>
                        <td><code>{c.name}</code></td>
                        <td>
                          <select value={settings.types[c.title] ?? c.type} disabled={step === 3 || settings.mode !== 'create'} onChange={(e) => {
                            const types = { ...settings.types };
                            if (e.target.value === c.type) delete types[c.title];
                            else types[c.title] = e.target.value as ColumnType;
                            set({ types });
                          }}>
                            {COLUMN_TYPES.map((ty) => <option key={ty} value={ty}>{ty}</option>)}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="muted small">{previewing ? t('upload.reading') : t('upload.previewNone')}</p>
            )}
            {preview?.rows.length ? (
              <>
                <h3>{t('upload.sample')}</h3>
                <div className="table-scroll small-table" data-testid="upload-sample">
                  <table className="grid">
                    <thead><tr><th>#</th>{preview.columns.map((c) => <th key={c.name}>{c.title}</th>)}<th>{t('upload.geometry')}</th></tr></thead>
                    <tbody>
                      {preview.rows.map((r) => (
                        <tr key={r.row}>
                          <td>{r.row}</td>
                          {preview.columns.map((c) => {
                            const v = r.properties[c.title];
                            return <td key={c.name}>{v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>;
                          })}
                          <td className="muted small">{r.geometry ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : null}
            {preview && (preview.problems.length > 0 || preview.notes.length > 0) && (
              <div data-testid="upload-problems">
                <h3>{t('upload.problems')}</h3>
                <ul className="small">
                  {preview.notes.map((n, i) => <li key={`n${i}`} className="muted">{n}</li>)}
                  {preview.problems.map((p, i) => <li key={`p${i}`} className="error">{t('upload.row', { n: p.row })}{p.field ? ` (${p.field})` : ''}: {p.reason}</li>)}
                </ul>
              </div>
            )}
          </div>
          <form className="upload-form" onSubmit={(e) => { e.preventDefault(); void start(); }}>
            <label>{t('upload.id')}<input data-testid="upload-id" value={settings.dataset} pattern="[a-z][a-z0-9_]{0,62}" required disabled={step === 3} onChange={(e) => set({ dataset: e.target.value })} /></label>
            <label>{t('upload.mode')}
              <select value={settings.mode} disabled={step === 3} onChange={(e) => set({ mode: e.target.value as Mode })}>
                {(['create', 'append', 'replace', 'upsert'] as const).map((m) => <option key={m} value={m}>{t(`upload.mode.${m}`)}</option>)}
              </select>
            </label>
            <label>{t('upload.name')}<input data-testid="upload-title" value={settings.title} disabled={step === 3} onChange={(e) => set({ title: e.target.value })} /></label>
            <label>{t('upload.nameEn')}<input value={settings.titleEn} disabled={step === 3} onChange={(e) => set({ titleEn: e.target.value })} /></label>
            <label>{t('upload.theme')}
              <select value={settings.theme} disabled={step === 3 || settings.mode !== 'create'} onChange={(e) => set({ theme: e.target.value as Theme })}>
                {THEMES.map((th) => <option key={th} value={th}>{t(`theme.${th}`)}</option>)}
              </select>
            </label>
            {preview?.layers && preview.layers.length > 1 && (
              <label>{t('upload.layer')}
                <select data-testid="upload-layer" value={settings.layer || preview.layer || ''} disabled={step === 3} onChange={(e) => reread({ layer: e.target.value })}>
                  {preview.layers.map((l) => <option key={l} value={l}>{l}</option>)}
                </select>
              </label>
            )}
            <label>{t('upload.crs')}
              <select data-testid="upload-crs-choice" value={settings.crs} disabled={step === 3} onChange={(e) => reread({ crs: e.target.value })}>
                {[...new Set([...CRS_CHOICES, settings.crs, preview && preview.crs.source !== 'default' ? String(preview.crs.epsg) : ''])].map((c) => (
                  <option key={c} value={c}>{c ? `EPSG:${c}` : t('upload.crsAuto')}</option>
                ))}
              </select>
            </label>
            <label>{t('upload.crsOther')}
              <input inputMode="numeric" pattern="[0-9]{4,6}" placeholder="4549" disabled={step === 3} defaultValue="" onBlur={(e) => e.target.value && e.target.value !== settings.crs && reread({ crs: e.target.value })} />
            </label>
            {preview?.encoding && preview.format !== 'kml' && (
              <label>{t('upload.encoding')}
                <select data-testid="upload-encoding-choice" value={settings.encoding} disabled={step === 3} onChange={(e) => reread({ encoding: e.target.value as Settings['encoding'] })}>
                  <option value="">{t('upload.encodingAuto')}</option>
                  <option value="utf-8">UTF-8</option>
                  <option value="gbk">GBK</option>
                  <option value="gb18030">GB18030</option>
                </select>
              </label>
            )}
            <label>{t('upload.coords')}
              <select value={settings.coords} disabled={step === 3} onChange={(e) => set({ coords: e.target.value as Settings['coords'] })}>
                <option value="">WGS84 / CGCS2000</option>
                <option value="gcj02">GCJ-02（高德/腾讯）</option>
                <option value="bd09">BD-09（百度）</option>
              </select>
            </label>
            {preview?.format === 'csv' && (
              <>
                <label>{t('upload.x')}<input value={settings.x} placeholder={t('upload.auto')} disabled={step === 3} onChange={(e) => set({ x: e.target.value })} onBlur={() => reread({})} /></label>
                <label>{t('upload.y')}<input value={settings.y} placeholder={t('upload.auto')} disabled={step === 3} onChange={(e) => set({ y: e.target.value })} onBlur={() => reread({})} /></label>
              </>
            )}
            {step === 2 && (
              <div className="form-actions">
                <button type="button" data-testid="upload-back" onClick={reset}>{t('upload.back')}</button>
                <button type="submit" className="primary" data-testid="upload-start" disabled={previewing}>{t('upload.start')}</button>
              </div>
            )}
          </form>
        </div>
      )}
      {step === 3 && job && (
        <div className="job" data-testid="upload-job">
          <div className="progress"><div className={`bar ${job.status}`} style={{ width: `${Math.max(2, job.progress ?? 0)}%` }} /></div>
          <p data-testid="upload-status">
            {job.status === 'successful' ? t('upload.done', { n: fmtNumber(lang, ds?.featureCount ?? 0) }) : job.status === 'failed' ? t('upload.failed') : t('upload.running')}
            <span className="muted"> {Math.round(job.progress ?? 0)}% {job.message ?? ''}</span>
          </p>
          {job.status === 'successful' && (
            <div className="form-actions">
              <button type="button" className="primary" data-testid="upload-show" onClick={() => {
                store.set({ view: 'map' });
                const m = getMap();
                if (m && ds?.bbox) setTimeout(() => m.fitBounds(ds.bbox!, { padding: 60, maxZoom: 16 }), 50);
              }}>{t('upload.showOnMap')}</button>
              <button type="button" onClick={reset}>{t('upload.again')}</button>
            </div>
          )}
          {job.status === 'failed' && <button type="button" onClick={() => setJob(null)}>{t('upload.back')}</button>}
        </div>
      )}
      {error && <p className="error" data-testid="upload-error">{error}</p>}
    </div>
  );
}
