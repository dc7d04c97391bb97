import { call, describe, type ConsoleSession } from '../api';
import { h } from '../dom';

/** The API key goes to the server once, in this POST; the page keeps nothing of it (the field is cleared). */
export function signInPage(onSignedIn: (session: ConsoleSession) => void): HTMLElement {
  const key = h('input', { type: 'password', name: 'apiKey', id: 'api-key', autocomplete: 'current-password',
    required: true, autofocus: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'signin', id: 'signin-form' },
    h('h1', {}, 'Herald console'),
    h('label', { for: 'api-key' }, 'API key'),
    key,
    button,
    error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    try {
      const session = await call<ConsoleSession>('POST', '/console/api/session', { apiKey: key.value });
      key.value = '';
      onSignedIn(session);
    } catch (e) {
      error.textContent = describe(e);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
