import { useRef, useState } from 'react';
import { ApiError } from '../app/api.ts';
import { THEMES, type Job, type Theme } from '../app/api-types.ts';
import { refreshCatalog } from '../app/boot.ts';
import { showLayer, store, useStore } from '../app/store.ts';
import { fmtNumber, useT } from '../i18n/i18n.ts';
import { getMap } from '../map/map-instance.ts';
import { datasetIdFromFileName, previewFile, type FilePreview } from './file-preview.ts';

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
  if (s.crs) form.set('crs', s.crs);
  if (s.coords) form.set('coords', s.coords);
  if (s.x) form.set('x', s.x);
  if (s.y) form.set('y', s.y);
  form.set('file', file, file.name);
  const res = await fetch('/imports', { method: 'POST', body: form, headers: { accept: 'application/json' } });
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
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const step = !file ? 1 : !job ? 2 : 3;

  const choose = async (f: File) => {
    setFile(f);
    setJob(null);
    setError('');
    const p = await previewFile(f).catch((e: Error) => {
      setError(e.message);
      return null;
    });
    setPreview(p);
    const base = f.name.replace(/\.[^.]+$/, '');
    setSettings({ dataset: datasetIdFromFileName(f.name), title: base, titleEn: '', theme: 'current', mode: 'create', crs: p?.crs ? String(p.crs) : '', coords: '', x: p?.x ?? '', y: p?.y ?? '' });
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
          <div className="upload-preview">
            <table className="attrs">
              <tbody>
                <tr><th>{t('upload.file')}</th><td>{file.name}</td></tr>
                <tr><th>{t('upload.size')}</th><td>{fmtNumber(lang, file.size / 1024, 1)} KB</td></tr>
                <tr><th>{t('upload.format')}</th><td>{preview?.format ?? '?'}{preview?.geometryTypes.length ? ` · ${preview.geometryTypes.join(', ')}` : ''}{preview?.count !== null && preview?.count !== undefined ? ` · ${fmtNumber(lang, preview.count)}` : ''}</td></tr>
                <tr><th>{t('upload.crs')}</th><td>{preview?.crs ? `EPSG:${preview.crs}` : t('upload.crsAuto')}</td></tr>
              </tbody>
            </table>
            <h3>{t('upload.fields')}</h3>
            {preview?.fields.length ? (
              <div className="columns" data-testid="upload-fields">
                {preview.fields.map((f) => (
                  <span key={f.name} className="chip">{f.name} <em>{f.type}</em></span>
                ))}
              </div>
            ) : (
              <p className="muted small">{t('upload.previewNone')}</p>
            )}
            {preview?.sample.length ? (
              <div className="table-scroll small-table">
                <table className="grid">
                  <thead><tr>{preview.fields.map((f) => <th key={f.name}>{f.name}</th>)}</tr></thead>
                  <tbody>
                    {preview.sample.map((r, i) => (
                      <tr key={i}>{preview.fields.map((f) => <td key={f.name}>{String(r[f.name] ?? '')}</td>)}</tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
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
            <label>{t('upload.crs')}
              <select value={settings.crs} disabled={step === 3} onChange={(e) => set({ crs: e.target.value })}>
                {CRS_CHOICES.map((c) => <option key={c} value={c}>{c ? `EPSG:${c}` : t('upload.crsAuto')}</option>)}
              </select>
            </label>
            <label>{t('upload.coords')}
              <select value={settings.coords} disabled={step === 3} onChange={(e) => set({ coords: e.target.value as Settings['coords'] })}>
                <option value="">WGS84 / CGCS2000</option>
                <option value="gcj02">GCJ-02（高德/腾讯）</option>
                <option value="bd09">BD-09（百度）</option>
              </select>
            </label>
            {preview?.format === 'csv' && (
              <>
                <label>{t('upload.x')}<input value={settings.x} disabled={step === 3} onChange={(e) => set({ x: e.target.value })} /></label>
                <label>{t('upload.y')}<input value={settings.y} disabled={step === 3} onChange={(e) => set({ y: e.target.value })} /></label>
              </>
            )}
            {step === 2 && (
              <div className="form-actions">
                <button type="button" onClick={reset}>{t('upload.back')}</button>
                <button type="submit" className="primary" data-testid="upload-start">{t('upload.start')}</button>
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
