/**
 * chart.js, registered with only what PoolScope draws (line charts on linear scales), so the rest
 * of the library is tree-shaken out of the bundle.
 */
import { Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js'

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Legend, Tooltip)

// Every chart here redraws in place from live data: animation would only lag behind it.
Chart.defaults.animation = false
// Same stack as --font-sans in styles/theme.css (a canvas cannot read CSS variables by itself).
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
Chart.defaults.font.size = 11

export { Chart }
