import { createPinia } from 'pinia'
import { createApp } from 'vue'
import './styles/theme.css'
import './styles/pieces.css'
import App from './App.vue'
import AppBootError from './AppBootError.vue'
import { resolveApi } from './api'
import { apiKey } from './composables/use-api'
import { useAppStore } from './stores/use-app-store'

const pinia = createPinia()
const app = useAppStore(pinia)
const resolved = resolveApi(window, { onTransportStatus: (status) => app.setTransportStatus(status) })

if (resolved.ok) {
  createApp(App).use(pinia).provide(apiKey, resolved.api).mount('#app')
} else {
  createApp(AppBootError, { message: resolved.message }).mount('#app')
}
