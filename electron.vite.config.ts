import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const root = __dirname

/**
 * Chunks shared by several main-process entries are written next to the entries (not into
 * `chunks/`), so any path computed from `__dirname` in shared code points at `out/main/`.
 */
const sharedOutput = { chunkFileNames: '[name]-[hash].js', entryFileNames: '[name].js' }

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'main/index.ts'),
          cli: resolve(root, 'main/cli.ts'),
          // The catalog's worker entry: `worker.js`, next to the bundle, is the pool's default worker script.
          worker: resolve(root, 'tasks/worker-entry.ts'),
          // The engine's own entry: builtins and module files only (the pool without the catalog).
          'pool-worker': resolve(root, 'main/pool/worker-main.ts'),
          'bench-peers': resolve(root, 'bench/peers.ts'),
          soak: resolve(root, 'main/soak/soak-main.ts')
        },
        output: sharedOutput
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload may require only `electron`: bundle zod and the contract into it.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' }
      }
    }
  },
  renderer: {
    root: resolve(root, 'renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves every bundle unminified; the renderer is also served to browsers.
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } }
    },
    plugins: [vue()]
  }
})
