// Hike's query console: connects to a database through the server's routes (in EDN), runs and
// explains queries, transacts, and draws the commit graph. Every call carries the token given.
import { read, print, kw, Keyword, Sym, List, EdnSet, EdnMap, Tagged, Raw, Float } from './edn.js';

const $ = (id) => document.getElementById(id);

const K = {
  branch: kw('branch'), db: kw('db'), msg: kw('msg'), exData: kw('ex-data'), type: kw('type'),
  id: kw('id'), parents: kw('parents'), instant: kw('instant'), maxTx: kw('max-tx'), headOf: kw('head-of'), branches: kw('branches'),
  txData: kw('tx-data'), removed: kw('removed'), added: kw('added'), hike: kw('hike'),
};
const RECENT = 'hike.console.recent';
const TOKEN = 'hike.console.token';
const MAX_ROWS = 1000;
// The keys whose values Hike treats as credentials (StoreCredentials): a config with one is not kept in Recent.
const CREDENTIALS = new Set(['secret', 'password', 'access-key', 'secret-key', 'access-key-id', 'secret-access-key', 'session-token', 'token', 'pass']);
const LANE_COLORS = ['#2f6f4e', '#3b6fb6', '#b5642a', '#8a4fb0', '#b03a5b', '#2a8c8c', '#7a7a2a'];

const state = {
  config: null, // the connected config
  conn: null, // its #datahike/Connection handle, on state.branch
  branch: K.db,
  pinned: null, // a commit's #uuid: reads go to it instead of the branch head
  ran: false, // whether a query ran, so that a change of commit runs it again
};

/** A failure to show: the server's message and code, or the console's own. */
class Failure extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

// ---- The server ----

/** Calls route with args (values, or Raw EDN text the user typed); the answer, read. */
async function call(route, ...args) {
  const headers = { 'Content-Type': 'application/edn', Accept: 'application/edn' };
  const token = $('token').value.trim();
  if (token) headers.Authorization = `token ${token}`;
  let response;
  try {
    response = await fetch(`/${route}`, { method: 'POST', headers, body: `[${args.map(print).join(' ')}]` });
  } catch (e) {
    throw new Failure(`The server cannot be reached: ${e.message}`, 'console/unreachable');
  }
  const text = await response.text();
  if (!response.ok) throw failureOf(response, text);
  try {
    return read(text);
  } catch (e) {
    throw new Failure(`/${route} answered what the console cannot read: ${e.message}`, 'console/answer');
  }
}

/**
 * The server's {:msg … :ex-data {:type code}}; in EDN, or in tagged JSON when the server answered
 * before it knew the request's format (a refused token).
 */
function failureOf(response, text) {
  let message = null;
  let code = null;
  try {
    if (response.headers.get('Content-Type')?.startsWith('application/json')) {
      const error = JSON.parse(text);
      message = error?.msg;
      code = Array.isArray(error?.['ex-data']?.type) ? error['ex-data'].type[1] : null;
    } else {
      const error = read(text);
      message = error instanceof EdnMap ? error.get(K.msg) : null;
      const type = error instanceof EdnMap && error.get(K.exData) instanceof EdnMap ? error.get(K.exData).get(K.type) : null;
      code = type instanceof Keyword ? type.name : null;
    }
  } catch {
    // Not the server's error map (a proxy's page, say): shown as it came.
  }
  return new Failure(typeof message === 'string' ? message : text || response.statusText, typeof code === 'string' ? code : `http/${response.status}`);
}

/** The database value reads go to: the pinned commit or the branch head, as of the time point given. */
async function targetDb() {
  let db = state.pinned ? await call('commit-as-db', state.conn, state.pinned) : await call('db', state.conn);
  const asOf = $('as-of').value.trim();
  if (asOf) db = await call('as-of', db, timePoint(asOf));
  return db;
}

/** A transaction id, an #inst, or a date and time the browser reads, as an instant. */
function timePoint(text) {
  if (/^\d+$/.test(text) || text.startsWith('#inst')) return new Raw(text);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Failure(`"${text}" is neither a transaction id nor an instant`, 'console/as-of');
  return new Tagged('inst', date.toISOString());
}

// ---- Feedback ----

function showError(e) {
  $('error-code').textContent = e instanceof Failure ? e.code : 'console/error';
  $('error-msg').textContent = e.message;
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

/** Runs work with button disabled; a failure is shown, not thrown. */
async function busy(button, work) {
  clearError();
  const was = button.disabled;
  button.disabled = true;
  try {
    await work();
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = was;
  }
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const uuidOf = (tagged) => tagged.value;
const shortId = (uuid) => uuid.slice(-8);
const plural = (n, word) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

// ---- Databases ----

function recent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT) ?? '[]');
    return Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function remember(configText) {
  localStorage.setItem(RECENT, JSON.stringify([configText, ...recent().filter((c) => c !== configText)].slice(0, 8)));
  listRecent();
}

function listRecent() {
  const select = $('recent');
  select.replaceChildren(el('option', { value: '' }, 'Recent…'), ...recent().map((c) => el('option', { value: c }, c.length > 60 ? `${c.slice(0, 57)}…` : c)));
}

/** Whether value holds a credential at any depth, or a URI with a user in it. */
function holdsCredentials(value) {
  if (value instanceof EdnMap) return value.entries.some(([k, v]) => (k instanceof Keyword && CREDENTIALS.has(k.name)) || holdsCredentials(v));
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\/[^/@]+@/i.test(value);
  return (items(value) ?? []).some(holdsCredentials);
}

function readConfig() {
  const text = $('config').value.trim();
  let config;
  try {
    config = read(text);
  } catch (e) {
    throw new Failure(`The config is not EDN: ${e.message}`, 'console/config');
  }
  if (!(config instanceof EdnMap)) throw new Failure('A config is a map, such as {:store {:backend :file :path "/data/orders"}}', 'console/config');
  return { text, config };
}

async function connect(create) {
  const { text, config } = readConfig();
  if (create) await call('create-database', config);
  const branch = config.get(K.branch) instanceof Keyword ? config.get(K.branch) : K.db;
  const conn = await call('connect', config);
  Object.assign(state, { config, conn, branch, pinned: null });
  const secret = holdsCredentials(config);
  if (!secret) remember(text);
  for (const id of ['run', 'explain', 'transact', 'merge', 'branch', 'as-of']) $(id).disabled = false;
  $('connection').textContent = `Connected: ${print(conn.value)}${secret ? ' (not kept in Recent: the config holds credentials)' : ''}`;
  showPinned();
  await refresh();
}

async function switchBranch(name) {
  const branch = kw(name);
  state.conn = await call('connect', state.config.assoc(K.branch, branch));
  state.branch = branch;
  state.pinned = null;
  $('connection').textContent = `Connected: ${print(state.conn.value)}`;
  showPinned();
  await refresh();
}

/** Reloads the branches and the commit graph. */
async function refresh() {
  const [branches, commits] = await Promise.all([call('branches', state.conn), call('commit-graph', state.conn)]);
  const names = branches.items.map((b) => b.name).sort((a, b) => (a === 'db' ? -1 : b === 'db' ? 1 : a.localeCompare(b)));
  $('branch').replaceChildren(...names.map((n) => el('option', { value: n }, `:${n}`)));
  $('branch').value = state.branch.name;
  const others = names.filter((n) => n !== state.branch.name);
  $('merge-source').replaceChildren(...others.map((n) => el('option', { value: n }, `:${n}`)));
  $('merge').disabled = others.length === 0;
  drawGraph(commits);
}

// ---- Queries ----

/** What a query's :find says about its result: column names and the result's shape. */
function findSpec(text) {
  let query;
  try {
    query = read(text);
  } catch {
    return null;
  }
  const clauses = new Map();
  if (Array.isArray(query)) {
    let at = null;
    for (const form of query) {
      if (form instanceof Keyword) clauses.set(at = form.name, []);
      else if (at) clauses.get(at).push(form);
    }
  } else if (query instanceof EdnMap) {
    for (const [k, v] of query.entries) if (k instanceof Keyword) clauses.set(k.name, Array.isArray(v) ? v : [v]);
  } else {
    return null;
  }
  const find = clauses.get('find');
  if (!find || find.length === 0) return null;
  const named = ['keys', 'strs', 'syms'].find((k) => clauses.has(k));
  if (named) {
    const make = { keys: (n) => kw(n), strs: (n) => n, syms: (n) => new Sym(n) }[named];
    const keys = clauses.get(named).map((s) => make(s instanceof Sym || s instanceof Keyword ? s.name : String(s)));
    return { shape: 'maps', columns: keys.map((k) => (k instanceof Keyword ? `:${k.name}` : print(k))), keys };
  }
  const isDot = (x) => x instanceof Sym && x.name === '.';
  const isEllipsis = (x) => x instanceof Sym && x.name === '...';
  if (find.length === 2 && isDot(find[1])) return { shape: 'scalar', columns: [print(find[0])] };
  if (find.length === 1 && Array.isArray(find[0])) {
    const inner = find[0];
    if (inner.length === 2 && isEllipsis(inner[1])) return { shape: 'coll', columns: [print(inner[0])] };
    return { shape: 'tuple', columns: inner.map(print) };
  }
  return { shape: 'rel', columns: find.map(print) };
}

const items = (v) => (v instanceof EdnSet || v instanceof List ? v.items : Array.isArray(v) ? v : null);

/** The result's rows by its :find; null when it has no table shape. */
function rowsOf(result, spec) {
  const all = items(result);
  switch (spec?.shape) {
    case 'scalar': return result === null ? [] : [[result]];
    case 'tuple': return result === null ? [] : Array.isArray(result) ? [result] : null;
    case 'coll': return all?.map((x) => [x]) ?? null;
    case 'maps': return all?.every((m) => m instanceof EdnMap) ? all.map((m) => spec.keys.map((k) => m.get(k) ?? null)) : null;
    case 'rel': return all?.every(Array.isArray) ? all : null;
    default: return all?.every(Array.isArray) ? all : null;
  }
}

function compareValues(a, b) {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
  const text = (x) => (typeof x === 'string' ? x : print(x));
  return text(a).localeCompare(text(b), 'en', { numeric: true });
}

function compareRows(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const isNumber = (v) => typeof v === 'number' || typeof v === 'bigint' || v instanceof Float;

function cell(value, classes) {
  const td = el('td');
  if (value === null || value === undefined) {
    td.textContent = 'nil';
    td.classList.add('nil');
  } else {
    td.textContent = typeof value === 'string' ? value : print(value);
    if (value instanceof Keyword) td.classList.add('kw');
  }
  td.classList.add(...classes);
  return td;
}

/** A table of rows under columns; a column of numbers only is aligned right, rowClass may mark rows. */
function table(columns, rows, rowClass) {
  const shown = rows.slice(0, MAX_ROWS);
  const numeric = columns.map((_, i) => shown.length > 0 && shown.every((r) => r[i] === null || isNumber(r[i])));
  const body = el('tbody', {}, ...shown.map((row, r) => el('tr', {},
    ...row.map((v, i) => cell(v, [numeric[i] ? 'num' : null, rowClass?.(r)].filter(Boolean))))));
  const head = el('tr', {}, ...columns.map((c, i) => el('th', numeric[i] ? { scope: 'col', class: 'num' } : { scope: 'col' }, c)));
  return el('table', {}, el('thead', {}, head), body);
}

function showResult(result, spec, ms) {
  const out = $('results');
  let rows = rowsOf(result, spec);
  if (!rows) {
    out.replaceChildren(el('div', { class: 'scalar' }, print(result)));
    $('status').textContent = `${ms.toFixed(1)} ms`;
    return;
  }
  // A set has no order of its own: show it sorted.
  if (result instanceof EdnSet) rows = [...rows].sort(compareRows);
  const width = Math.max(spec?.columns.length ?? 0, ...rows.map((r) => r.length));
  const columns = Array.from({ length: width }, (_, i) => spec?.columns[i] ?? `${i + 1}`);
  out.replaceChildren(table(columns, rows));
  const shown = rows.length > MAX_ROWS ? ` (the first ${MAX_ROWS.toLocaleString('en')} shown)` : '';
  $('status').textContent = `${plural(rows.length, 'row')}${shown} in ${ms.toFixed(1)} ms`;
}

/** The query and its inputs, as the user typed them. */
function queryArgs(db) {
  const inputs = $('inputs').value.trim();
  return [new Raw($('query').value), db, ...(inputs ? [new Raw(inputs)] : [])];
}

async function runQuery() {
  $('plan').hidden = true;
  const db = await targetDb();
  const started = performance.now();
  const result = await call('q', ...queryArgs(db));
  showResult(result, findSpec($('query').value), performance.now() - started);
  state.ran = true;
}

async function explain() {
  const db = await targetDb();
  const started = performance.now();
  const plan = await call('explain', ...queryArgs(db));
  $('plan').textContent = typeof plan === 'string' ? plan : print(plan);
  $('plan').hidden = false;
  $('results').replaceChildren();
  $('status').textContent = `Planned and run in ${(performance.now() - started).toFixed(1)} ms`;
}

// ---- Writing ----

const DATOM_COLUMNS = ['e', 'a', 'v', 'tx', 'added'];

function datomRows(datoms) {
  return (items(datoms) ?? []).map((d) => (d instanceof Tagged && Array.isArray(d.value) ? d.value : [d]));
}

function showReport(report, ms, what) {
  const value = report instanceof Tagged ? report.value : report;
  const rows = datomRows(value instanceof EdnMap ? value.get(K.txData) : null);
  $('report').replaceChildren(table(DATOM_COLUMNS, rows, (i) => (rows[i][4] === false ? 'removed' : 'added')));
  const tx = rows[0]?.[3];
  $('tx-status').textContent = `${what}: ${plural(rows.length, 'datom')}${tx === undefined ? '' : ` in transaction ${print(tx)}`}, ${ms.toFixed(1)} ms`;
}

async function transact() {
  const started = performance.now();
  const report = await call('transact', state.conn, new Raw($('tx').value));
  showReport(report, performance.now() - started, 'Committed');
  await refresh();
}

async function merge() {
  const source = kw($('merge-source').value);
  const started = performance.now();
  const report = await call('merge-branch', state.conn, source, new Raw($('merge-strategy').value));
  if (report === null) {
    $('tx-status').textContent = `Nothing to merge: :${source.name} is already part of :${state.branch.name}`;
    $('report').replaceChildren();
  } else {
    showReport(report, performance.now() - started, `Merged :${source.name}`);
  }
  await refresh();
}

// ---- The commit graph ----

const ROW = 26;
const LANE = 16;

/** Lanes as git draws them: each branch head's first-parent chain has one, :db's first. */
function lanesOf(commits) {
  const byId = new Map(commits.map((c) => [uuidOf(c.get(K.id)), c]));
  const lane = new Map();
  let count = 0;
  const claim = (start) => {
    const l = count++;
    for (let id = start; id && byId.has(id) && !lane.has(id); id = byId.get(id).get(K.parents)[0]?.value) lane.set(id, l);
  };
  const heads = [];
  for (const c of commits) for (const b of c.get(K.headOf).items) heads.push([b.name, uuidOf(c.get(K.id))]);
  heads.sort(([a], [b]) => (a === 'db' ? -1 : b === 'db' ? 1 : a.localeCompare(b)));
  for (const [, id] of heads) if (!lane.has(id)) claim(id);
  for (const c of commits) if (!lane.has(uuidOf(c.get(K.id)))) claim(uuidOf(c.get(K.id)));
  return { lane, count };
}

function when(instant) {
  const date = new Date(instant instanceof Tagged ? instant.value : String(instant));
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString('en-GB') : `${date.toLocaleDateString('en-CA')} ${date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
}

function drawGraph(commits) {
  const list = items(commits) ?? [];
  $('commit-count').textContent = `(${list.length})`;
  const { lane, count } = lanesOf(list);
  const row = new Map(list.map((c, i) => [uuidOf(c.get(K.id)), i]));
  const x = (id) => 12 + lane.get(id) * LANE;
  const y = (id) => 16 + row.get(id) * ROW;
  const color = (l) => LANE_COLORS[l % LANE_COLORS.length];
  const textX = 12 + Math.max(count, 1) * LANE + 6;
  const width = Math.max(320, textX + 270);
  const edges = [];
  const nodes = [];
  const rows = [];
  const labels = [];
  for (const c of list) {
    const id = uuidOf(c.get(K.id));
    const [x1, y1] = [x(id), y(id)];
    rows.push(svg('rect', { class: `row-hit${state.pinned?.value === id ? ' selected' : ''}`, x: 0, y: y1 - ROW / 2, width, height: ROW, 'data-id': id }));
    c.get(K.parents).forEach((p, i) => {
      const pid = p.value;
      if (!row.has(pid)) return;
      const [x2, y2] = [x(pid), y(pid)];
      const d = x1 === x2 ? `M${x1} ${y1} L${x2} ${y2}`
        // A branch's first commit bends into its parent's lane at the end; a merge leaves for its other parent at once.
        : i === 0 ? `M${x1} ${y1} L${x1} ${y2 - ROW} C${x1} ${y2 - ROW / 2} ${x2} ${y2 - ROW / 2} ${x2} ${y2}`
          : `M${x1} ${y1} C${x1} ${y1 + ROW / 2} ${x2} ${y1 + ROW / 2} ${x2} ${y1 + ROW} L${x2} ${y2}`;
      edges.push(svg('path', { class: 'edge', d, stroke: color(lane.get(i === 0 ? id : pid)) }));
    });
    const time = when(c.get(K.instant));
    nodes.push(svg('circle', { class: 'commit', cx: x1, cy: y1, r: c.get(K.parents).length > 1 ? 6 : 5, fill: color(lane.get(id)), 'data-id': id },
      svg('title', {}, `${id}\n${time} · up to tx ${print(c.get(K.maxTx))}`)));
    labels.push(svg('text', { class: 'label', x: textX, y: y1 + 4 }, shortId(id)));
    labels.push(svg('text', { class: 'label when', x: textX + 68, y: y1 + 4 }, time));
    let tagX = textX + 68 + time.length * 6.6 + 12;
    for (const b of c.get(K.headOf).items.map((k) => k.name).sort()) {
      labels.push(svg('text', { class: 'label head-tag', x: tagX, y: y1 + 4, fill: color(lane.get(id)) }, `:${b}`));
      tagX += 12 + (b.length + 1) * 6.8;
    }
  }
  const height = 16 + list.length * ROW;
  const drawing = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Commit graph, ${plural(list.length, 'commit')}` },
    ...rows, ...edges, ...nodes, ...labels);
  drawing.addEventListener('click', (event) => {
    const id = event.target.closest('[data-id]')?.getAttribute('data-id');
    if (id) busy($('run'), () => pin(list.find((c) => uuidOf(c.get(K.id)) === id)));
  });
  $('graph').replaceChildren(drawing);
}

function showPinned() {
  $('pinned').hidden = !state.pinned;
  $('pinned-id').textContent = state.pinned ? shortId(state.pinned.value) : '';
  if (!state.pinned) $('commit').hidden = true;
  for (const r of document.querySelectorAll('#graph .row-hit')) r.classList.toggle('selected', r.getAttribute('data-id') === state.pinned?.value);
}

/** Reads go to commit from now on; shows what it changed over its first parent. */
async function pin(commit) {
  state.pinned = commit.get(K.id);
  showPinned();
  const db = await call('commit-as-db', state.conn, state.pinned);
  const parent = commit.get(K.parents)[0];
  const detail = $('commit');
  detail.replaceChildren(
    el('h3', {}, `Commit ${state.pinned.value}`),
    el('div', { class: 'muted' }, `${when(commit.get(K.instant))} · up to tx ${print(commit.get(K.maxTx))} · on ${commit.get(K.branches).items.map(print).join(' ')}`));
  if (parent) {
    const diff = await call('diff', await call('commit-as-db', state.conn, parent), db);
    const removed = datomRows(diff.get(K.removed));
    const added = datomRows(diff.get(K.added));
    const rows = [...removed.map(([e, a, v]) => ['−', e, a, v]), ...added.map(([e, a, v]) => ['+', e, a, v])];
    detail.append(el('div', { class: 'muted' }, `Over its first parent ${shortId(parent.value)}: +${added.length} −${removed.length} datoms`),
      table(['', 'e', 'a', 'v'], rows, (i) => (i < removed.length ? 'removed' : 'added')));
  }
  detail.hidden = false;
  if (state.ran) await runQuery();
}

// ---- Wiring ----

function onCtrlEnter(id, button) {
  $(id).addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (!$(button).disabled) $(button).click();
    }
  });
}

function init() {
  $('token').value = sessionStorage.getItem(TOKEN) ?? '';
  $('token').addEventListener('input', () => sessionStorage.setItem(TOKEN, $('token').value));
  listRecent();
  if (!$('config').value) $('config').value = recent()[0] ?? '';
  $('recent').addEventListener('change', () => {
    if ($('recent').value) $('config').value = $('recent').value;
    $('recent').value = '';
  });
  $('error-close').addEventListener('click', clearError);
  $('connect').addEventListener('click', () => busy($('connect'), () => connect(false)));
  $('create').addEventListener('click', () => busy($('create'), () => connect(true)));
  $('branch').addEventListener('change', () => busy($('branch'), () => switchBranch($('branch').value)));
  $('unpin').addEventListener('click', () => busy($('run'), async () => {
    state.pinned = null;
    showPinned();
    if (state.ran) await runQuery();
  }));
  $('run').addEventListener('click', () => busy($('run'), runQuery));
  $('explain').addEventListener('click', () => busy($('explain'), explain));
  $('transact').addEventListener('click', () => busy($('transact'), transact));
  $('merge').addEventListener('click', () => busy($('merge'), merge));
  $('as-of').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !$('run').disabled) $('run').click();
  });
  onCtrlEnter('query', 'run');
  onCtrlEnter('inputs', 'run');
  onCtrlEnter('tx', 'transact');
  onCtrlEnter('config', 'connect');
  fetch('/version').then((r) => (r.ok ? r.text() : '')).then((text) => {
    const version = text ? read(text) : null;
    if (version instanceof EdnMap && typeof version.get(K.hike) === 'string') $('version').textContent = `v${version.get(K.hike)}`;
  }).catch(() => {});
}

init();
