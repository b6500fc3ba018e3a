import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** A small horizontal bar chart (ECharts): one bar per label. */
export function BarList({ labels, values, colours, height = 160, testId }: { labels: string[]; values: number[]; colours?: string[]; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', show: false },
      yAxis: { type: 'category', data: labels, inverse: true, axisTick: { show: false }, axisLine: { show: false }, axisLabel: { fontSize: 11, color: '#334' } },
      series: [
        {
          type: 'bar',
          data: values.map((v, i) => ({ value: v, itemStyle: { color: colours?.[i] ?? '#3f6fb5' } })),
          barWidth: 10,
          label: { show: true, position: 'right', fontSize: 10, color: '#556', formatter: (p: { value: number }) => p.value.toLocaleString() },
        },
      ],
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [labels.join('|'), values.join('|'), colours?.join('|')]);
  return <div ref={el} className="chart" data-testid={testId} style={{ height }} />;
}
