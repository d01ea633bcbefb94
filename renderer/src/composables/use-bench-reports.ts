import { ref } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import type { BenchReport } from '../../../shared/contract'
import { canvasToPng, downloadBlob } from '../lib/download'
import { captionedCanvas } from '../lib/speedup-png'
import { chartCaption, reportTitle } from '../lib/speedup-series'
import { useBenchStore } from '../stores/use-bench-store'
import { useToastStore } from '../stores/use-toast-store'

export type ExportFormat = 'json' | 'csv' | 'markdown'

/** Loading saved reports, choosing what is shown or compared, and exporting them as files. */
export function useBenchReports({ api }: { api: PoolScopeApi }) {
  const bench = useBenchStore()
  const toasts = useToastStore()
  const loading = ref<ReadonlySet<string>>(new Set())

  async function load(id: string): Promise<BenchReport | undefined> {
    const cached = bench.reports.get(id)
    if (cached) return cached
    loading.value = new Set([...loading.value, id])
    try {
      const report = await api.bench.get({ id })
      bench.remember(report)
      return report
    } catch (error) {
      toasts.error('Loading the report', error)
      return undefined
    } finally {
      const next = new Set(loading.value)
      next.delete(id)
      loading.value = next
    }
  }

  async function show(id: string): Promise<void> {
    if (await load(id)) bench.show(id)
  }

  async function toggleCompare(id: string): Promise<void> {
    if (!bench.compareIds.includes(id) && !(await load(id))) return
    bench.toggleCompare(id)
  }

  async function exportAs(report: BenchReport, format: ExportFormat): Promise<void> {
    try {
      const file = await api.bench.export({ id: report.id, format })
      downloadBlob(new Blob([file.content], { type: file.mime }), file.filename)
    } catch (error) {
      toasts.error(`Exporting ${format.toUpperCase()}`, error)
    }
  }

  async function exportPng(report: BenchReport, canvas: HTMLCanvasElement | undefined): Promise<void> {
    if (!canvas) return
    try {
      const name = `${reportTitle(report).replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '') || 'speedup'}-${report.id}.png`
      const styles = getComputedStyle(canvas)
      const colors = {
        background: styles.getPropertyValue('--surface').trim() || '#ffffff',
        text: styles.getPropertyValue('--text').trim() || '#1f2328'
      }
      // chart.js draws at devicePixelRatio; the canvas's own size says what it used.
      const ratio = canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : window.devicePixelRatio
      downloadBlob(await canvasToPng(captionedCanvas(canvas, chartCaption(report), colors, ratio)), name)
    } catch (error) {
      toasts.error('Saving the chart', error)
    }
  }

  return { loading, load, show, toggleCompare, exportAs, exportPng }
}
