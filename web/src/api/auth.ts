import { api } from './client';
import type { Me } from './types';

export const authApi = {
  login: (email: string, password: string) =>
    api.post<Me>('/auth/login', { email, password }, { tenant: null, retries: 0 }),
  logout: () => api.post<void>('/auth/logout', undefined, { tenant: null }),
  me: () => api.get<Me>('/auth/me', { tenant: null }),
};
