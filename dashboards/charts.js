// ECharts (window.echarts, loaded by index.html) on a container; charts resize with the window.

const live = new Set()
addEventListener('resize', () => live.forEach((c) => c.resize()))

/** A chart in `el` with `option`; returns the ECharts instance. */
export function chart(el, option) {
  if (!window.echarts) {
    el.textContent = 'The chart library did not load.'
    return null
  }
  const existing = window.echarts.getInstanceByDom(el)
  if (existing) existing.dispose()
  const instance = window.echarts.init(el, null, { renderer: 'canvas' })
  instance.setOption({ animation: false, ...option })
  live.add(instance)
  return instance
}

/** Forget charts of a page that is gone. */
export function disposeAll() {
  for (const c of live) c.dispose()
  live.clear()
}
