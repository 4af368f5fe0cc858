// The console's only door to Herald: every call carries the key kept in sessionStorage, in the
// Authorization header (never in a URL). A 401 asks for a key and repeats the call once it is given.
const KEY = 'herald.key';

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || `HttpStatus${status}`;
    this.field = error.field;
  }
}

export function key() {
  return sessionStorage.getItem(KEY);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

let pendingKey = null;

/** Shows the key dialog once, however many calls wait for it; resolves when a key is entered. */
export function askForKey(message) {
  if (pendingKey) {
    return pendingKey;
  }
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  const error = document.getElementById('key-error');
  error.hidden = !message;
  error.textContent = message || '';
  input.value = '';
  pendingKey = new Promise((resolve) => {
    const form = document.getElementById('key-form');
    form.onsubmit = (e) => {
      e.preventDefault();
      const value = input.value.trim();
      if (!value) {
        return;
      }
      sessionStorage.setItem(KEY, value);
      dialog.close();
      pendingKey = null;
      resolve(value);
    };
  });
  if (!dialog.open) {
    dialog.showModal();
  }
  return pendingKey;
}

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const k = key();
  if (k) {
    h.Authorization = `Bearer ${k}`;
  }
  return h;
}

/** Calls the API; answers the parsed JSON (or null for 204), throws ApiError otherwise. */
export async function api(path, options = {}) {
  const init = { method: options.method || 'GET', headers: headers(options.headers), signal: options.signal };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, init);
  if (res.status === 401) {
    const body = await res.json().catch(() => null);
    await askForKey(key() ? 'That key was refused: ' + new ApiError(401, body).message : '');
    return api(path, options);
  }
  if (res.status === 204) {
    return null;
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(res.status, body);
  }
  return body;
}

/**
 * Follows a server-sent event stream with fetch (so the key travels in a header), calling onEvent
 * with (type, data) for each event until the signal aborts or the server ends the stream.
 */
export async function stream(path, signal, onEvent) {
  const res = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (res.status === 401) {
    await askForKey(key() ? 'That key was refused' : '');
    return stream(path, signal, onEvent);
  }
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(res.status, body);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) {
        onEvent(type, data.join('\n'));
      }
    }
  }
}
