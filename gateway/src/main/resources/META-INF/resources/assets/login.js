// The login page (ADR 0015): takes the key from the link's fragment (#key=..., never sent to a server) or the form,
// checks it by starting a session (POST /v1/session with the Bearer header, which sets the HttpOnly cookie that
// pages, images and event streams need), keeps it in localStorage for the scripts' fetches, then goes back to the
// page that sent the browser here.
'use strict';

(() => {
  const form = document.getElementById('login');
  const input = document.getElementById('key');
  const error = document.getElementById('error');

  /** Where to go after logging in: a path of this site only (no open redirect). */
  function next() {
    const n = new URLSearchParams(location.search).get('next');
    return n && n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/login') ? n : '/';
  }

  async function login(key) {
    const res = await fetch('/v1/session', {method: 'POST', headers: {Authorization: 'Bearer ' + key}});
    if (res.ok) {
      localStorage.setItem(Dash.KEY, key);
      location.replace(next());
      return;
    }
    localStorage.removeItem(Dash.KEY);
    let detail = res.status + '';
    try {
      detail = (await res.json()).detail || detail;
    } catch (e) {
      // not problem+json
    }
    error.textContent = 'Not logged in: ' + detail;
    error.hidden = false;
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    login(input.value.trim());
  });

  const fromLink = new URLSearchParams(location.hash.replace(/^#/, '')).get('key');
  if (fromLink) {
    history.replaceState(null, '', location.pathname + location.search); // the key leaves the address bar
    login(fromLink);
  } else if (Dash.apiKey()) {
    login(Dash.apiKey()); // a kept key: renew the cookie (e.g. after the browser was closed)
  }
})();
