import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { api, qs } from '../app/api.ts';
import { useStore } from '../app/store.ts';
import { fmtNumber, useT } from '../i18n/i18n.ts';
import { deptName, useDepartments } from './departments.ts';
import type { Usage, UsageFigures } from './types.ts';

/** A row of one of the usage groups. */
type UsageRow = UsageFigures & { department?: string | null; username?: string; action?: string; day?: string };

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** A small column chart of requests by day (ECharts). */
export function DayChart({ rows, height = 140 }: { rows: UsageRow[]; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const days = rows.map((r) => String(r.day ?? '').slice(0, 10));
  const values = rows.map((r) => r.requests);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      grid: { left: 4, right: 8, top: 8, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: days, axisLabel: { fontSize: 10, color: '#556', formatter: (v: string) => v.slice(5) }, axisTick: { show: false } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10, color: '#556' }, splitLine: { lineStyle: { color: '#eef1f4' } } },
      series: [{ type: 'bar', data: values, itemStyle: { color: '#1565c0' }, barMaxWidth: 14 }],
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [days.join('|'), values.join('|')]);
  return <div ref={el} className="chart" data-testid="usage-chart" style={{ height }} />;
}

const PERIODS = [7, 30, 90, 365] as const;

/** A dataset's usage: called N times over a period, by department, by user, by action and by day. */
export function UsagePanel({ datasetId }: { datasetId: string }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const departments = useDepartments();
  const [days, setDays] = useState<number>(30);
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setUsage(null);
    const from = new Date(Date.now() - days * 86_400_000).toISOString();
    api<Usage>(`/datasets/${encodeURIComponent(datasetId)}/usage${qs({ from })}`)
      .then((u) => live && (setUsage(u), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [datasetId, days]);
  const n = (v: number | null | undefined) => fmtNumber(lang, v ?? 0);
  const top = (rows: UsageRow[], label: (r: UsageRow) => string) => (
    <table className="attrs">
      <tbody>
        {rows.slice(0, 8).map((r, i) => (
          <tr key={i}>
            <th>{label(r) || '—'}</th>
            <td>
              {t('usage.calls', { n: n(r.requests) })}
              {r.features ? <span className="muted small"> · {t('usage.features', { n: n(r.features) })}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div className="panel access-block" data-testid="usage-panel">
      <div className="block-head">
        <h3>{t('usage.title')}</h3>
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label={t('usage.period')}>
          {PERIODS.map((d) => (
            <option key={d} value={d}>
              {t('usage.lastDays', { n: d })}
            </option>
          ))}
        </select>
      </div>
      {error && <p className="muted small">{error}</p>}
      {usage && (
        <>
          <p className="usage-total" data-testid="usage-total">
            {t('usage.total', { n: n(usage.total.requests) })}
            <span className="muted small"> · {t('usage.reach', { users: n(usage.total.users), depts: n(usage.total.departments), features: n(usage.total.features) })}</span>
          </p>
          {usage.byDay.length > 0 && <DayChart rows={usage.byDay} />}
          {usage.total.requests === 0 && <p className="muted small">{t('usage.none')}</p>}
          <div className="usage-cols" hidden={usage.total.requests === 0}>
            <div>
              <h3>{t('usage.byDepartment')}</h3>
              {top(usage.byDepartment, (r) => deptName(lang, departments, r.department) || t('usage.noDepartment'))}
            </div>
            <div>
              <h3>{t('usage.byUser')}</h3>
              {top(usage.byUser, (r) => r.username ?? '')}
            </div>
            <div>
              <h3>{t('usage.byAction')}</h3>
              {top(usage.byAction, (r) => r.action ?? '')}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
