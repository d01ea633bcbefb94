/**
 * Saves a Blob as a file through a temporary link (works in Chromium and in Electron, where the
 * download goes through the session's will-download handling).
 */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoke later: revoking at once can cancel the download before it starts reading.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A canvas as PNG; rejects when the browser cannot encode it. */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The chart could not be encoded as PNG'))), 'image/png'))
}
