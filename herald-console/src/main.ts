import './style.css';
import { ApiFailure, call, describe, setSession, whenSignedOut, type ConsoleSession } from './api';
import { h, replaceChildren } from './dom';
import { devicePage } from './pages/device';
import { devicesPage } from './pages/devices';
import { overviewPage } from './pages/overview';
import { signInPage } from './pages/signin';

const app = document.getElementById('app') as HTMLElement;
let stopPage: () => void = () => undefined;
let session: ConsoleSession | null = null;

async function boot(): Promise<void> {
  whenSignedOut(() => showSignIn());
  try {
    signedIn(await call<ConsoleSession>('GET', '/console/api/session'));
  } catch (e) {
    if (e instanceof ApiFailure && e.error.status === 401) {
      showSignIn();
    } else {
      replaceChildren(app, h('p', { class: 'error' }, describe(e)));
    }
  }
}

function showSignIn(): void {
  stopPage();
  session = null;
  setSession(null);
  replaceChildren(app, signInPage(signedIn));
}

function signedIn(started: ConsoleSession): void {
  session = started;
  setSession(started);
  if (!location.hash || location.hash === '#/') {
    location.hash = '#/overview';
  }
  route();
}

function shell(active: string, content: HTMLElement): HTMLElement {
  const signOut = h('button', { type: 'button', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    try {
      await call('DELETE', '/console/api/session');
    } finally {
      showSignIn();
    }
  });
  const link = (hash: string, label: string) =>
    h('a', { href: hash, class: active === hash ? 'active' : undefined }, label);
  return h('div', { class: 'shell' },
    h('header', {},
      h('strong', { class: 'brand' }, 'Herald'),
      h('nav', {}, link('#/overview', 'Overview'), link('#/devices', 'Devices')),
      h('span', { class: 'node' }, session ? nodeName(session) : ''),
      signOut),
    h('main', {}, content));
}

function nodeName(current: ConsoleSession): string {
  const { role, id } = current.node;
  return role === id ? `${role} node` : `${role} node ${id}`;
}

function route(): void {
  if (!session) {
    return;
  }
  stopPage();
  stopPage = () => undefined;
  const hash = location.hash;
  const device = /^#\/devices\/(.+)$/.exec(hash);
  if (device) {
    const page = devicePage(decodeURIComponent(device[1]));
    stopPage = page.stop;
    replaceChildren(app, shell('#/devices', page.element));
  } else if (hash === '#/devices') {
    replaceChildren(app, shell('#/devices', devicesPage()));
  } else {
    const overview = overviewPage();
    stopPage = overview.stop;
    replaceChildren(app, shell('#/overview', overview.element));
  }
}

window.addEventListener('hashchange', route);
void boot();
