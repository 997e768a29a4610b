import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { TrendMonth } from '../../domain/retention-metrics.ts';

/** The chart's size in pixels: wide enough for 12 labelled months in a Slack preview. */
export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 800;

const COLOURS = {
  gained: '#2eb67d',
  expansion: '#36c5f0',
  contraction: '#ecb22e',
  churned: '#e01e5a',
  nrr: '#4a154b',
  red: '#e01e5a',
  yellow: '#ecb22e',
  green: '#2eb67d',
};

/**
 * The last 12 months as a PNG: the MRR bridge as bars (what was gained above the axis, what was lost
 * below) with NRR as a line, and the accounts in each health band on each month's last day beneath.
 * Drawn by echarts on the server (SVG, no browser) and rasterised by resvg.
 */
export function retentionChartPng(trend: TrendMonth[], currency: string): Buffer {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  try {
    const months = trend.map((m) => m.label);
    const bar = (name: string, colour: string, values: number[]) => ({
      name,
      type: 'bar' as const,
      stack: 'bridge',
      itemStyle: { color: colour },
      data: values,
    });
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      title: [
        { text: `MRR movements and NRR (${currency})`, left: 20, top: 10 },
        { text: 'Accounts by health band', left: 20, top: 470 },
      ],
      legend: [
        { top: 14, right: 20, data: ['New + reactivated', 'Expansion', 'Contraction', 'Churned', 'NRR'] },
        { top: 474, right: 20, data: ['red', 'yellow', 'green'] },
      ],
      grid: [
        { left: 90, right: 80, top: 60, height: 360 },
        { left: 90, right: 80, top: 520, height: 230 },
      ],
      xAxis: [
        { type: 'category', data: months, gridIndex: 0 },
        { type: 'category', data: months, gridIndex: 1 },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, name: currency },
        {
          type: 'value',
          gridIndex: 0,
          name: 'NRR',
          axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
          splitLine: { show: false },
        },
        { type: 'value', gridIndex: 1, name: 'accounts', minInterval: 1 },
      ],
      series: [
        bar(
          'New + reactivated',
          COLOURS.gained,
          trend.map((m) => m.mrr.new + m.mrr.reactivation),
        ),
        bar(
          'Expansion',
          COLOURS.expansion,
          trend.map((m) => m.mrr.expansion),
        ),
        bar(
          'Contraction',
          COLOURS.contraction,
          trend.map((m) => -m.mrr.contraction),
        ),
        bar(
          'Churned',
          COLOURS.churned,
          trend.map((m) => -m.mrr.churned),
        ),
        {
          name: 'NRR',
          type: 'line',
          yAxisIndex: 1,
          itemStyle: { color: COLOURS.nrr },
          data: trend.map((m) => m.nrr),
        },
        ...(['red', 'yellow', 'green'] as const).map((band) => ({
          name: band,
          type: 'bar' as const,
          stack: 'bands',
          xAxisIndex: 1,
          yAxisIndex: 2,
          itemStyle: { color: COLOURS[band] },
          data: trend.map((m) => m.bands[band]),
        })),
      ],
    });
    const svg = chart.renderToSVGString();
    return Buffer.from(new Resvg(svg, { fitTo: { mode: 'original' } }).render().asPng());
  } finally {
    chart.dispose();
  }
}
