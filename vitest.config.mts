import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Pools fork real processes: keep test files in separate forks, two at a time (2-core machines).
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: process.env.CI ? ['default'] : ['default']
  }
})
