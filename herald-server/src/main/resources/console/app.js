// Herald's web console: plain modules, no build step. Pages render from the API only.
import { api, stream, key, forgetKey, askForKey, ApiError } from './api.js';
import uPlot from './vendor/uplot/uPlot.esm.js';

/** Creates an element: h('td', {class: 'num'}, 'text', child...). Text is never parsed as HTML. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const page = document.getElementById('page');
let cleanup = [];

function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
}

function errorText(e) {
  if (e instanceof ApiError) {
    return `${e.code}${e.field ? ' (' + e.field + ')' : ''}: ${e.message}`;
  }
  return String(e && e.message ? e.message : e);
}

function showError(where, e) {
  where.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
}

function json(value) {
  return h('pre', {}, JSON.stringify(value, null, 2));
}

function params() {
  const hash = location.hash.slice(1);
  const q = hash.indexOf('?');
  return new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
}

// ---- Targets: live rate, p99, backlog, concurrency, circuit, dead letters; rate charts ----

async function targetsPage() {
  const charts = h('div', { class: 'charts', id: 'charts' });
  const table = h('div', { id: 'targets-table' }, h('p', { class: 'muted' }, 'Loading…'));
  page.replaceChildren(
    h('section', {}, h('h2', {}, 'Rates (events per second, this session)'), charts),
    h('section', {}, h('h2', {}, 'Targets'), table));
  const times = [];
  const ingest = [];
  const delivered = [];
  const plot = new uPlot({
    width: Math.min(900, page.clientWidth - 60), height: 220,
    series: [{}, { label: 'ingested/s', stroke: '#1f5fbf' }, { label: 'attempts/s', stroke: '#1b7f3b' }],
    axes: [{}, { label: 'per second' }],
  }, [times, ingest, delivered], charts);
  cleanup.push(() => plot.destroy());
  async function refresh() {
    try {
      const stats = await api('/v1/stats');
      times.push(Date.parse(stats.at) / 1000);
      ingest.push(stats.ingest.rate);
      delivered.push(stats.targets.reduce((sum, t) => sum + t.rate, 0));
      if (times.length > 300) { times.shift(); ingest.shift(); delivered.shift(); }
      plot.setData([times, ingest, delivered]);
      table.replaceChildren(targetsTable(stats.targets));
    } catch (e) {
      showError(table, e);
    }
  }
  await refresh();
  const timer = setInterval(refresh, 3000);
  cleanup.push(() => clearInterval(timer));
}

function targetsTable(targets) {
  if (!targets.length) {
    return h('p', { class: 'muted' }, 'No targets yet: PUT /v1/targets/{name}.');
  }
  return h('table', { id: 'targets' },
    h('thead', {}, h('tr', {}, ['Target', 'Type', 'State', 'Circuit', 'Rate/s', 'Delivered/s', 'p99 ms',
      'Backlog', 'In flight / limit', 'Dead letters'].map((t) => h('th', {}, t)))),
    h('tbody', {}, targets.map((t) => h('tr', { 'data-target': t.name },
      h('td', {}, t.name),
      h('td', {}, t.type),
      h('td', {}, t.enabled ? 'enabled' : 'disabled'),
      h('td', { class: 'state-' + t.circuit }, t.circuit),
      h('td', { class: 'num' }, t.rate.toFixed(2)),
      h('td', { class: 'num' }, t.deliveredRate.toFixed(2)),
      h('td', { class: 'num' }, t.p99Ms === null ? '—' : t.p99Ms),
      h('td', { class: 'num' }, t.backlog === null ? '—' : t.backlog),
      h('td', { class: 'num' }, `${t.inFlight} / ${t.concurrencyLimit}`),
      h('td', { class: 'num' }, h('a', { href: '#/dlq?target=' + encodeURIComponent(t.name) }, t.deadLetters)))))); 
}

// ---- Buses and rules, with the pattern tester ----

const SAMPLE_EVENT = {
  version: '0', id: '01M8CCHZSN000000G000000000', 'detail-type': 'OrderPlaced', source: 'shop.orders',
  account: '000000000000', time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), region: 'local',
  resources: [], detail: { orderId: 'o-1', total: 150 },
};

async function busesPage() {
  const list = h('div', { id: 'buses' }, h('p', { class: 'muted' }, 'Loading…'));
  const pattern = h('textarea', { id: 'tester-pattern' }, '{"source": ["shop.orders"]}');
  const event = h('textarea', { id: 'tester-event' }, JSON.stringify(SAMPLE_EVENT, null, 2));
  const result = h('p', { id: 'tester-result' });
  const test = async (e) => {
    e.preventDefault();
    try {
      const body = { pattern: JSON.parse(pattern.value), event: JSON.parse(event.value) };
      const answer = await api('/v1/test-pattern', { method: 'POST', body });
      result.className = answer.matches ? 'ok' : 'error';
      result.textContent = answer.matches ? 'matches' : 'does not match';
    } catch (err) {
      result.className = 'error';
      result.textContent = err instanceof SyntaxError ? 'not JSON: ' + err.message : errorText(err);
    }
  };
  page.replaceChildren(
    h('section', {}, h('h2', {}, 'Buses and rules'), list),
    h('section', {}, h('h2', {}, 'Pattern tester'),
      h('form', { id: 'tester', onsubmit: test },
        h('label', {}, 'Pattern (EventBridge)', pattern),
        h('label', {}, 'Event (the delivered envelope)', event),
        h('div', { class: 'row' }, h('button', { type: 'submit', id: 'tester-run' }, 'Test')), result)));
  try {
    const buses = await api('/v1/buses?limit=1000');
    const blocks = [];
    for (const bus of buses.items) {
      const rules = await api(`/v1/buses/${encodeURIComponent(bus.name)}/rules?limit=1000`);
      blocks.push(h('div', { class: 'bus', 'data-bus': bus.name },
        h('h2', {}, bus.name, ' ', h('span', { class: 'muted' }, bus.description || '')),
        rules.items.length === 0 ? h('p', { class: 'muted' }, 'No rules.') :
          h('table', {}, h('thead', {}, h('tr', {}, ['Rule', 'Enabled', 'Pattern', 'Targets', ''].map((t) => h('th', {}, t)))),
            h('tbody', {}, rules.items.map((r) => h('tr', { 'data-rule': r.name },
              h('td', {}, r.name), h('td', {}, r.enabled ? 'yes' : 'no'),
              h('td', {}, h('code', {}, JSON.stringify(r.pattern))),
              h('td', {}, (r.targets || []).map((t) => t.target).join(', ')),
              h('td', {}, h('button', { class: 'secondary', type: 'button', onclick: () => {
                pattern.value = JSON.stringify(r.pattern, null, 2);
                result.textContent = '';
              } }, 'Test this pattern'))))))));
    }
    list.replaceChildren(...blocks);
  } catch (e) {
    showError(list, e);
  }
}

// ---- Dead letters: inspect, redrive, purge ----

async function dlqPage() {
  const select = h('select', { id: 'dlq-target' });
  const out = h('div', { id: 'dlq' });
  const detail = h('div', { id: 'dlq-detail' });
  const status = h('p', { id: 'dlq-status' });
  page.replaceChildren(h('section', {}, h('h2', {}, 'Dead letters'),
    h('div', { class: 'row' }, h('label', {}, 'Target', select)), status, out), detail);
  let targets;
  try {
    targets = await api('/v1/targets?limit=1000');
  } catch (e) {
    showError(out, e);
    return;
  }
  select.replaceChildren(...targets.items.map((t) => h('option', { value: t.name }, t.name)));
  const wanted = params().get('target');
  if (wanted) select.value = wanted;
  const load = async () => {
    detail.replaceChildren();
    if (!select.value) {
      out.replaceChildren(h('p', { class: 'muted' }, 'No targets.'));
      return;
    }
    const target = encodeURIComponent(select.value);
    try {
      const letters = await api(`/v1/targets/${target}/dlq?limit=100`);
      renderLetters(letters, target);
    } catch (e) {
      showError(out, e);
    }
  };
  const act = async (what, call) => {
    try {
      const answer = await call();
      const failed = (answer && answer.failed) || [];
      status.className = failed.length ? 'error' : 'ok';
      status.textContent = what(answer) + (failed.length
        ? `; not done: ${failed.map((f) => `${f.id} (${f.code})`).join(', ')}` : '');
    } catch (e) {
      status.className = 'error';
      status.textContent = errorText(e);
    }
    await load();
  };
  function renderLetters(letters, target) {
    if (!letters.entries.length) {
      out.replaceChildren(h('p', { class: 'muted', id: 'dlq-empty' }, 'No dead letters.'));
      return;
    }
    const boxes = [];
    const rows = letters.entries.map((l) => {
      const box = h('input', { type: 'checkbox', value: l.id, 'aria-label': 'select ' + l.id });
      boxes.push(box);
      return h('tr', { 'data-letter': l.id },
        h('td', {}, box), h('td', { class: 'mono' }, l.id), h('td', {}, l.error.code),
        h('td', {}, l.error.message), h('td', { class: 'num' }, l.attempts), h('td', {}, l.lastAttemptAt),
        h('td', {}, h('button', { class: 'secondary inspect', type: 'button', onclick: async () => {
          try {
            detail.replaceChildren(h('section', {}, h('h2', {}, 'Dead letter ' + l.id),
              json(await api(`/v1/targets/${target}/dlq/${encodeURIComponent(l.id)}`))));
          } catch (e) { showError(detail, e); }
        } }, 'Inspect')));
    });
    const selected = () => boxes.filter((b) => b.checked).map((b) => b.value);
    out.replaceChildren(
      h('p', { class: 'muted' }, `${letters.total} dead letters`),
      h('table', { id: 'dlq-table' }, h('thead', {}, h('tr', {}, ['', 'Id', 'Code', 'Message', 'Attempts', 'Last attempt', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, rows)),
      h('div', { class: 'row' },
        h('button', { type: 'button', id: 'dlq-redrive', onclick: () => act((a) => `redriven ${a.redriven}`,
          () => api(`/v1/targets/${target}/dlq/redrive`, { method: 'POST', body: { ids: selected() } })) }, 'Redrive selected'),
        h('button', { type: 'button', id: 'dlq-redrive-all', class: 'secondary', onclick: () => act((a) => `redriven ${a.redriven}`,
          () => api(`/v1/targets/${target}/dlq/redrive`, { method: 'POST', body: { all: true } })) }, 'Redrive all'),
        h('button', { type: 'button', id: 'dlq-purge', class: 'danger', onclick: () => act((a) => `purged ${a.purged}`, async () => {
          let purged = 0;
          const failed = [];
          for (const id of selected()) {
            try {
              purged += (await api(`/v1/targets/${target}/dlq/${encodeURIComponent(id)}`, { method: 'DELETE' })).purged;
            } catch (e) { failed.push({ id, code: e.code }); }
          }
          return { purged, failed };
        }) }, 'Purge selected')));
  }
  select.addEventListener('change', load);
  await load();
}

// ---- Events: a journey by id, and a search of recent events ----

async function eventsPage() {
  const idInput = h('input', { id: 'journey-id', size: 30, placeholder: 'event id (26 characters)' });
  const journey = h('div', { id: 'journey' });
  const bus = h('input', { id: 'search-bus', value: 'default' });
  const source = h('input', { id: 'search-source' });
  const detailType = h('input', { id: 'search-detail-type' });
  const from = h('input', { id: 'search-from', placeholder: 'RFC 3339, default an hour ago' });
  const to = h('input', { id: 'search-to', placeholder: 'RFC 3339, default now' });
  const results = h('div', { id: 'search-results' });
  const showJourney = async (id) => {
    idInput.value = id;
    try {
      const answer = await api('/v1/events/' + encodeURIComponent(id));
      journey.replaceChildren(
        h('h2', {}, 'Event ' + answer.event.id),
        json(answer.event),
        answer.deliveries.length === 0 ? h('p', { class: 'muted' }, 'No rule matched it (or it is still being routed).') :
          h('table', { id: 'journey-table' }, h('thead', {}, h('tr', {}, ['Rule', 'Target', 'Status', 'Attempts', 'Last error', 'Last attempt', 'Delivered'].map((t) => h('th', {}, t)))),
            h('tbody', {}, answer.deliveries.map((d) => h('tr', {},
              h('td', {}, d.rule), h('td', {}, d.target), h('td', {}, d.status), h('td', { class: 'num' }, d.attempts),
              h('td', {}, d.lastError ? `${d.lastError.code}: ${d.lastError.message}` : ''),
              h('td', {}, d.lastAttemptAt || ''), h('td', {}, d.deliveredAt || ''))))));
    } catch (e) {
      showError(journey, e);
    }
  };
  let next = null;
  const search = async (after) => {
    const q = new URLSearchParams();
    q.set('bus', bus.value.trim() || 'default');
    for (const [name, input] of [['source', source], ['detailType', detailType], ['from', from], ['to', to]]) {
      if (input.value.trim()) q.set(name, input.value.trim());
    }
    q.set('limit', '50');
    if (after) q.set('after', after);
    try {
      const answer = await api('/v1/events?' + q);
      next = answer.next;
      results.replaceChildren(
        answer.events.length === 0 ? h('p', { class: 'muted', id: 'search-empty' }, 'No events on this page.') :
          h('table', { id: 'search-table' }, h('thead', {}, h('tr', {}, ['Id', 'Ingested', 'Source', 'Detail type'].map((t) => h('th', {}, t)))),
            h('tbody', {}, answer.events.map((e) => h('tr', {},
              h('td', {}, h('a', { href: '#', class: 'mono', onclick: (ev) => { ev.preventDefault(); showJourney(e.id); } }, e.id)),
              h('td', {}, e.ingestedAt), h('td', {}, e.source), h('td', {}, e.detailType))))),
        next ? h('button', { type: 'button', class: 'secondary', id: 'search-next', onclick: () => search(next) }, 'Next page') : '');
    } catch (e) {
      showError(results, e);
    }
  };
  page.replaceChildren(
    h('section', {}, h('h2', {}, 'Journey of an event'),
      h('form', { class: 'row', id: 'journey-form', onsubmit: (e) => { e.preventDefault(); showJourney(idInput.value.trim()); } },
        h('label', {}, 'Event id', idInput), h('button', { type: 'submit' }, 'Show')), journey),
    h('section', {}, h('h2', {}, 'Search recent events'),
      h('form', { class: 'row', id: 'search-form', onsubmit: (e) => { e.preventDefault(); search(null); } },
        h('label', {}, 'Bus', bus), h('label', {}, 'Source', source), h('label', {}, 'Detail type', detailType),
        h('label', {}, 'From', from), h('label', {}, 'To', to), h('button', { type: 'submit', id: 'search-run' }, 'Search')),
      results));
  const id = params().get('id');
  if (id) await showJourney(id);
}

// ---- Live tail ----

async function tailPage() {
  const bus = h('select', { id: 'tail-bus' });
  const pattern = h('textarea', { id: 'tail-pattern', placeholder: 'optional EventBridge pattern, e.g. {"source": ["shop.orders"]}' });
  const status = h('p', { id: 'tail-status', class: 'muted' }, 'Stopped.');
  const log = h('div', { id: 'tail-log' });
  const start = h('button', { type: 'submit', id: 'tail-start' }, 'Start');
  const stop = h('button', { type: 'button', id: 'tail-stop', class: 'secondary', disabled: true }, 'Stop');
  let controller = null;
  let count = 0;
  const end = () => {
    if (controller) controller.abort();
    controller = null;
    start.disabled = false;
    stop.disabled = true;
  };
  cleanup.push(end);
  stop.addEventListener('click', () => { end(); status.textContent = `Stopped after ${count} events.`; });
  const run = async (e) => {
    e.preventDefault();
    end();
    controller = new AbortController();
    const signal = controller.signal;
    count = 0;
    log.replaceChildren();
    start.disabled = true;
    stop.disabled = false;
    const q = new URLSearchParams();
    if (pattern.value.trim()) q.set('pattern', pattern.value.trim());
    status.className = 'muted';
    status.textContent = 'Connecting…';
    try {
      await stream(`/v1/buses/${encodeURIComponent(bus.value)}/tail?${q}`, signal, (type, data) => {
        if (type === 'ready') {
          status.textContent = `Following bus ${bus.value}: 0 events.`;
          return;
        }
        if (type !== 'event') return;
        const event = JSON.parse(data);
        count++;
        status.textContent = `Following bus ${bus.value}: ${count} events.`;
        log.prepend(h('div', { class: 'tail-event' },
          h('span', { class: 'mono' }, event.time, ' ', event.source, ' ', event['detail-type'], ' '),
          h('a', { href: '#/events?id=' + encodeURIComponent(event.id), class: 'mono' }, event.id),
          h('pre', {}, JSON.stringify(event.detail))));
        while (log.childElementCount > 200) log.lastElementChild.remove();
      });
      if (!signal.aborted) {
        status.textContent = `The server ended the tail after ${count} events.`;
      }
    } catch (err) {
      if (!signal.aborted) {
        status.className = 'error';
        status.textContent = errorText(err);
      }
    } finally {
      if (!signal.aborted) end();
    }
  };
  page.replaceChildren(h('section', {}, h('h2', {}, 'Live tail'),
    h('form', { id: 'tail-form', onsubmit: run },
      h('div', { class: 'row' }, h('label', {}, 'Bus', bus)),
      h('label', {}, 'Pattern', pattern),
      h('div', { class: 'row' }, start, stop)),
    status, log));
  try {
    const buses = await api('/v1/buses?limit=1000');
    bus.replaceChildren(...buses.items.map((b) => h('option', { value: b.name }, b.name)));
  } catch (err) {
    status.className = 'error';
    status.textContent = errorText(err);
  }
}

// ---- Router ----

const PAGES = { targets: targetsPage, buses: busesPage, dlq: dlqPage, events: eventsPage, tail: tailPage };

async function route() {
  cleanup.forEach((f) => f());
  cleanup = [];
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] || 'targets';
  const show = PAGES[name] || targetsPage;
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.id === 'nav-' + name);
  }
  document.getElementById('forget-key').hidden = !key();
  page.dataset.page = name;
  page.dataset.ready = 'false';
  try {
    await show();
  } finally {
    page.dataset.ready = 'true';
  }
}

document.getElementById('forget-key').addEventListener('click', () => {
  forgetKey();
  toast('Key forgotten');
  route();
});
window.addEventListener('hashchange', route);
route();
export { askForKey };
