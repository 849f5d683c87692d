// The gateway's REST API (Livy's), as the pages use it. With a token, the page's own address carries it
// (?token=T): it goes on to every request as a header, to the stream as ?token=, and to every page link.

const token = new URLSearchParams(location.search).get('token');

export class GatewayError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A page address on this gateway, keeping the token. */
export function pageHref(path) {
  return token ? `${path}?token=${encodeURIComponent(token)}` : path;
}

/** The session's stream, resuming after event `since`. */
export function streamUrl(sessionId, since) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = new URLSearchParams({ since: String(since) });
  if (token) query.set('token', token);
  return `${scheme}://${location.host}/sessions/${encodeURIComponent(sessionId)}/stream?${query}`;
}

/** What the gateway told this page about itself when it served it (see WebUi.java). */
export function pageConfig() {
  try {
    return JSON.parse(document.getElementById('sparkgate-config').textContent);
  } catch {
    return {};
  }
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new GatewayError(0, 'The gateway cannot be reached. Is it still running? Retrying…');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: a proxy's error page, say; the status says enough
  }
  if (!response.ok) throw new GatewayError(response.status, explain(response.status, json?.msg));
  return json;
}

function explain(status, message) {
  if (status === 401) {
    return token
      ? 'The gateway did not accept the token in this page\'s address. '
        + 'Open the page again with ?token=<the gateway\'s token>.'
      : 'This gateway needs a token: open the page as /sessions?token=<the gateway\'s token>.';
  }
  return message || `The gateway answered ${status}.`;
}

export const gateway = {
  listSessions: () => call('GET', '/sessions?size=1000').then((page) => page.sessions),
  session: (id) => call('GET', `/sessions/${encodeURIComponent(id)}`),
  createSession: (request) => call('POST', '/sessions', request),
  deleteSession: (id) => call('DELETE', `/sessions/${encodeURIComponent(id)}`),
};
