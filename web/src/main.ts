import { createPinia } from 'pinia';
import PrimeVue from 'primevue/config';
import ToastService from 'primevue/toastservice';
import Tooltip from 'primevue/tooltip';
import { createApp } from 'vue';
import 'primeicons/primeicons.css';
import App from './App.vue';
import { onUnauthenticated } from './api/client';
import { createFlagpoleRouter } from './router';
import { useFlagsStore } from './stores/flags';
import { useInboxStore } from './stores/inbox';
import { usePlansStore } from './stores/plans';
import { useSegmentsStore } from './stores/segments';
import { useSessionStore } from './stores/session';
import './styles.css';
import { FlagpolePreset } from './theme';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const router = createFlagpoleRouter(pinia);
app.use(router);
app.use(PrimeVue, {
  theme: {
    preset: FlagpolePreset,
    // the app is designed light; a dark selector nobody sets keeps the OS setting from half-applying
    options: { darkModeSelector: '.flagpole-dark', cssLayer: false },
  },
});
app.use(ToastService);
app.directive('tooltip', Tooltip);

// a session that expires while the app is open sends the user to sign in again, then back here
onUnauthenticated(() => {
  const session = useSessionStore(pinia);
  session.expire();
  useFlagsStore(pinia).reset();
  usePlansStore(pinia).reset();
  useSegmentsStore(pinia).reset();
  useInboxStore(pinia).reset();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.replace({ name: 'login', query: { next: current.fullPath } });
});

app.mount('#app');
